import { it } from "vitest";
import { InvalidOptionsError } from "../errors.js";
import { timeLimit } from "../input/options.js";
import { showValue } from "../input/show.js";
import { assertInterleaves, resolveInterleavesOptions, type InterleavesOptions } from "../instrument/check.js";
import type { InterleavedContext } from "../instrument/run.js";

/** Options of `itInterleaves`: those of `checkInterleaves`, plus the vitest timeout. */
export interface ItInterleavesOptions extends InterleavesOptions {
  /** Vitest timeout of the test, in ms. Default: the search's time limit plus 10 s. */
  readonly timeout?: number;
}

/**
 * A vitest test that runs `fn` under many delivery orders on the instrumented `zeromq`: every
 * socket the code opens is guarded, and the order in which its sends and receives complete is
 * chosen by the search. A failing order is shrunk (fewer reorderings) and the test fails with
 * that run's rule and timeline first, then its replay line and where the search found it.
 */
export function itInterleaves(name: string, fn: (context: InterleavedContext) => unknown, options: ItInterleavesOptions): void {
  if (typeof name !== "string" || name === "") throw new InvalidOptionsError(`itInterleaves: the first argument must be the test's name, got ${showValue(name)}`);
  if (typeof fn !== "function") throw new InvalidOptionsError(`itInterleaves: the second argument must be the function to run, got ${showValue(fn)}`);
  // Checked now, so a bad option fails where the test is declared, not when it runs.
  const resolved = resolveInterleavesOptions("itInterleaves", options, ["timeout"]);
  const { timeout: given, ...search } = options;
  const timeout = timeLimit("itInterleaves: options.timeout", given, Math.min(resolved.timeLimitMs + 10_000, 2_147_483_647));
  it(name, () => assertInterleaves(fn, search, "itInterleaves"), timeout);
}
