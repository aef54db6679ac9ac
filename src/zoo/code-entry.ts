import fc from "fast-check";
import * as zmq from "zeromq";
import { schedules, type ScheduleConstraints } from "../arbitraries/schedules.js";
import { instrument } from "../instrument/instrument.js";
import { runInterleaved, type InterleavedContext, type InterleavedReport } from "../instrument/run.js";
import type { Ownership } from "../interleaving/types.js";
import { entryFacts, foundAt, notFound, type EntryFacts, type ExploreOptions, type Finding, type ZooEntry } from "./entry.js";
import { isMinimal, runSize } from "./size.js";

/** A program of the zoo: user code run on the instrumented module, with a generated input. */
export type ZooProgram<I> = (context: InterleavedContext, input: I) => Promise<void>;

/** What a user-code entry is made of. */
export interface CodeSpec<I> extends EntryFacts {
  /** The workload the program gets (how many requests, jobs...); shrinks with the schedule. */
  readonly input: fc.Arbitrary<I>;
  /** The input in words, for the report (`requests = 1`). */
  readonly describeInput: (input: I) => string;
  /** The program with the bug. */
  readonly code: ZooProgram<I>;
  /** The same program done right: the kit must pass it under every schedule it tries. */
  readonly fixed: ZooProgram<I>;
  /** Who owns a socket in the guarded runs. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Delivery schedules to draw. Default: up to 8 choices, 0 to 3. */
  readonly schedules?: ScheduleConstraints;
  /** Default 100. */
  readonly defaultRuns?: number;
}

/** A user-code entry: the zoo's view, plus the fixed program to check the kit does not cry wolf. */
export interface CodeEntry extends ZooEntry {
  readonly kind: "code";
  /** Explores the fixed program the same way: `not-found` (`passed`) is the expected outcome. */
  exploreFixed(options: ExploreOptions & { readonly ownership?: Ownership }): Promise<Finding>;
  /** Explores the buggy program under another ownership (the XPUB reader is legal with thread ownership). */
  exploreWith(options: ExploreOptions & { readonly ownership: Ownership }): Promise<Finding>;
}

const DEFAULT_SCHEDULES: ScheduleConstraints = { maxLength: 8, maxChoice: 3 };

/** Longest one guarded run may take; past it the run is `unknown` (a failure, never a pass). */
const RUN_TIME_LIMIT_MS = 2_000;

/** Longest one exploration may take before it is interrupted (then: not found, interrupted). */
const SEARCH_TIME_LIMIT_MS = 60_000;

/**
 * Runs `program` under fast-check: each run draws an input and a delivery schedule, runs the
 * program once on the instrumented zeromq module and fails unless the guarded verdict is `ok`.
 * fast-check shrinks the failure (input first, then the schedule's choices toward 0); the last
 * failing run is the counterexample, printed with its timeline and replay lines.
 */
async function search<I>(spec: CodeSpec<I>, program: ZooProgram<I>, options: ExploreOptions, ownership: Ownership): Promise<Finding> {
  const module = instrument(zmq);
  let last: { readonly input: I; readonly report: InterleavedReport } | null = null;
  const property = fc.asyncProperty(spec.input, schedules(spec.schedules ?? DEFAULT_SCHEDULES), async (input, schedule) => {
    const report = await runInterleaved((c) => program(c, input), { zmq: module, schedule, ownership, timeLimitMs: RUN_TIME_LIMIT_MS });
    if (report.verdict.kind === "ok") return true;
    last = { input, report };
    return false;
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs ?? spec.defaultRuns ?? 100, interruptAfterTimeLimit: SEARCH_TIME_LIMIT_MS });
  const failure = last as { readonly input: I; readonly report: InterleavedReport } | null;
  if (!details.failed || failure === null) return notFound(spec.name, options.seed, details);
  const { input, report } = failure;
  const { facts, where } = foundAt(spec.name, options.seed, details);
  const size = runSize(report);
  return {
    kind: "found",
    ...facts,
    label: report.label,
    expected: spec.expected.includes(report.label),
    size,
    minimal: isMinimal(size, spec.minimum),
    text: `${report.text}\ninput: ${spec.describeInput(input)}\n${where}`,
    timeline: { ...report.timeline, seed: options.seed, path: facts.path },
    consequence: null,
  };
}

/** Builds a user-code zoo entry from its parts. */
export function codeEntry<I>(spec: CodeSpec<I>): CodeEntry {
  const ownership = spec.ownership ?? "thread";
  return {
    kind: "code",
    ...entryFacts(spec),
    defaultRuns: spec.defaultRuns ?? 100,
    explore: (options) => search(spec, spec.code, options, ownership),
    exploreFixed: (options) => search(spec, spec.fixed, options, options.ownership ?? ownership),
    exploreWith: (options) => search(spec, spec.code, options, options.ownership),
  };
}
