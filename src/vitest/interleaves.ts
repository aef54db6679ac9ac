import { it as fcIt } from "@fast-check/vitest";
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
  const { arbitrary, predicate, parameters } = interleavesProperty(fn, options);
  fcIt.prop([arbitrary], parameters)(name, predicate, options.timeout ?? (options.timeLimitMs ?? 60_000) + 10_000);
}
