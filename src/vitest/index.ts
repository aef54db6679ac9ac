/**
 * `zmq-interleave/vitest`: what a vitest suite needs to check its own ZeroMQ code, in one
 * import. Importing it registers the matchers with `expect.extend`.
 */
import { expect } from "vitest";
import type { Rule } from "../model/verdict.js";
import { zmqMatchers } from "./matchers.js";

expect.extend(zmqMatchers);

declare module "vitest" {
  interface Assertion<T> {
    /** No guarded call broke a rule (for a `runInterleaved` report: the verdict is `ok`). */
    toRespectSingleOwner(): T;
    /** Calling the function throws an `OwnershipError`, for `rule` when given. */
    toThrowOwnershipError(rule?: Rule): T;
  }
  interface AsymmetricMatchersContaining {
    toRespectSingleOwner(): unknown;
    toThrowOwnershipError(rule?: Rule): unknown;
  }
}

export { itInterleaves, type ItInterleavesOptions } from "./interleaves.js";
export { checkInterleaves, assertInterleaves, InterleavingFailure, type InterleavesOptions, type InterleavesResult, type RunChoices } from "../instrument/check.js";
export { zmqMatchers, toRespectSingleOwner, toThrowOwnershipError, type Checked } from "./matchers.js";
export { instrument, instrumentInPlace, createInstrumentedZmq, type ZmqModule } from "../instrument/instrument.js";
export { GuardRun, type GuardRunOptions } from "../instrument/guard-run.js";
export { runInterleaved, type InterleavedContext, type InterleavedReport, type RunInterleavedOptions } from "../instrument/run.js";
export { guard, handoff, isGuarded, rawSocket, type GuardOptions } from "../guard/guard.js";
export { guardedExit, installTeardownCheck, teardownBreach } from "../guard/teardown.js";
export { createGuardContext, GuardContext } from "../guard/context.js";
export { OwnershipError } from "../guard/ownership-error.js";
export type { GuardVerdict } from "../instrument/verdict.js";
export type { Rule } from "../model/verdict.js";
