import { it as fcIt } from "@fast-check/vitest";
import { InvalidOptionsError } from "../errors.js";
import { timeLimit } from "../input/options.js";
import { showValue } from "../input/show.js";
import { interleavesProperty, type InterleavesOptions } from "../instrument/check.js";
import type { InterleavedContext } from "../instrument/run.js";

/** Options of `itInterleaves`: those of `checkInterleaves`, plus the vitest timeout. */
export interface ItInterleavesOptions extends InterleavesOptions {
  /** Vitest timeout of the test, in ms. Default: the property's time limit plus 10 s. */
  readonly timeout?: number;
}

/**
 * A vitest test that runs `fn` under many delivery schedules on the instrumented `zeromq`:
 * every socket the code opens is guarded, and the order in which its sends and receives
 * complete is chosen by the schedule. A failing order is shrunk (fewer reorderings) and the
 * test fails with that run's timeline and a replay line; the seed is in the test name.
 */
export function itInterleaves(name: string, fn: (context: InterleavedContext) => unknown, options: ItInterleavesOptions): void {
  if (typeof name !== "string" || name === "") throw new InvalidOptionsError(`itInterleaves: the first argument must be the test's name, got ${showValue(name)}`);
  const { arbitrary, predicate, parameters } = interleavesProperty(fn, options, "itInterleaves");
  const timeout = timeLimit("itInterleaves: options.timeout", options.timeout, Math.min((parameters.interruptAfterTimeLimit ?? 60_000) + 10_000, 2_147_483_647));
  fcIt.prop([arbitrary], parameters)(name, predicate, timeout);
}
