import fc from "fast-check";
import { schedules, type ScheduleConstraints } from "../arbitraries/schedules.js";
import { strategyDraws, type StrategyDraw } from "../arbitraries/strategy-draws.js";
import { KitError, InvalidOptionsError } from "../errors.js";
import { flag, oneOf, optionsRecord, probability, timeLimit, wholeNumber } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { Ownership, Schedule } from "../interleaving/types.js";
import { instrument, instrumentationOf, type ZmqModule } from "./instrument.js";
import { runInterleaved, type InterleavedContext, type InterleavedReport } from "./run.js";

const footprint = Symbol.for("zmq-interleave.interleaving-failure");

/**
 * A run of user code that did not pass: its message starts with the verdict's label, then the
 * run's timeline, the verdict in words and the replay line, then where the search found it.
 * `code` is `"INTERLEAVING_FAILED"`.
 */
export class InterleavingFailure extends KitError {
  readonly [footprint] = true;
  /** `busy-send`, `stuck`, `error`, `unknown`... */
  readonly label: string;

  constructor(label: string, text: string, options?: { cause?: unknown }) {
    super("INTERLEAVING_FAILED", `${label}\n${text}`, options);
    this.name = "InterleavingFailure";
    this.label = label;
  }

  /** True for an `InterleavingFailure` from any copy of the package. */
  static override is(err: unknown): err is InterleavingFailure {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[footprint] === true;
  }
}

/** The choices of one run: where completions race (`schedule`) and where an op may be held as the 513th (`races`). */
export interface RunChoices {
  readonly schedule: Schedule;
  readonly races: Schedule;
}

/** Options of `checkInterleaves` and `itInterleaves`. */
export interface InterleavesOptions extends ScheduleConstraints {
  /** The `zeromq` module: the instrumented one from `vi.mock("zeromq", ...)`, or the real one. Required. */
  readonly zmq: ZmqModule;
  /** Runs to try: a whole number of at least 1. Default 30. */
  readonly runs?: number;
  /**
   * How choices are made: `"random"` (default: each choice drawn on its own, shrunk toward
   * fewer reorderings) or `"pct"` (Burckhardt et al. 2010: random task priorities with
   * `depth - 1` change points, for bugs that need one task held back for long; a failure it
   * finds is then shrunk as a plain schedule).
   */
  readonly strategy?: "random" | "pct";
  /** PCT: the depth of the bugs to aim at. Default 3. */
  readonly depth?: number;
  /** PCT: how many choice points a run has, about (where change points go). Default 20. */
  readonly steps?: number;
  /** Who owns a socket. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Real time limit of one run, in ms (past it the run is `unknown`, a failure). Default 5 000. */
  readonly runTimeLimitMs?: number;
  /** Real time limit of the whole search, in ms (an interrupted search fails, never passes). Default 60 000. */
  readonly timeLimitMs?: number;
  /** Run the program's timers on virtual time (default true). */
  readonly virtualTime?: boolean;
  /** Explore hazards: ops that completed at once held as zeromq.js holds the 513th in a row (default true). */
  readonly hazards?: boolean;
  /** Virtual ms a held completion may wait while a later timer fires first, and a later turn's timers may start late (default 1; see `runInterleaved`). */
  readonly latencyMs?: number;
  /** Replay one run (the `schedule`, and the `races` if any, of a replay line) instead of searching. */
  readonly replay?: Schedule | Partial<RunChoices>;
  /** fast-check seed (default: random, shown in the output). */
  readonly seed?: number;
  /** fast-check counterexample path, to replay a failure with `seed`. */
  readonly path?: string;
}

/** The option names `checkInterleaves` knows (`itInterleaves` adds `timeout`). */
export const INTERLEAVES_OPTIONS = [
  "zmq",
  "runs",
  "strategy",
  "depth",
  "steps",
  "ownership",
  "runTimeLimitMs",
  "timeLimitMs",
  "virtualTime",
  "hazards",
  "latencyMs",
  "replay",
  "seed",
  "path",
  "maxLength",
  "maxChoice",
  "preemptionRate",
] as const;

/** The options, checked: every field's type and range, no unknown key. */
interface Resolved {
  readonly zmq: ZmqModule;
  readonly runs: number;
  readonly strategy: "random" | "pct";
  readonly depth: number;
  readonly steps: number;
  readonly ownership: Ownership;
  readonly runTimeLimitMs: number;
  readonly timeLimitMs: number;
  readonly virtualTime: boolean;
  readonly hazards: boolean;
  readonly latencyMs: number;
  readonly replay: RunChoices | undefined;
  readonly seed: number | undefined;
  readonly path: string | undefined;
  readonly schedules: ScheduleConstraints;
}

function isZmqModule(value: unknown): value is ZmqModule {
  if (typeof value !== "object" || value === null) return false;
  if (instrumentationOf(value) !== null) return true;
  const m = value as Record<string, unknown>;
  return typeof m["Push"] === "function" && typeof m["Pull"] === "function" && typeof m["Socket"] === "function";
}

const isChoices = (v: unknown): v is number[] => Array.isArray(v) && v.every((c) => Number.isSafeInteger(c) && (c as number) >= 0);

function replayOf(where: string, replay: unknown): RunChoices | undefined {
  if (replay === undefined) return undefined;
  if (isChoices(replay)) return { schedule: replay, races: [] };
  const r = replay as { schedule?: unknown; races?: unknown } | null;
  if (typeof r === "object" && r !== null && !Array.isArray(r) && (r.schedule === undefined || isChoices(r.schedule)) && (r.races === undefined || isChoices(r.races))) {
    return { schedule: (r.schedule ?? []) as number[], races: (r.races ?? []) as number[] };
  }
  throw new InvalidOptionsError(`${where}: options.replay must be a schedule (a list of whole numbers >= 0, as a replay line prints it) or { schedule, races }, got ${showValue(replay)}`);
}

/** Checks the options of `where` (`checkInterleaves`, `itInterleaves`), with `extra` keys it also takes. */
export function resolveInterleavesOptions(where: string, value: unknown, extra: readonly string[] = []): Resolved {
  if (value === undefined) throw new InvalidOptionsError(`${where}: options are required: pass at least { zmq } (the zeromq module, e.g. import * as zmq from "zeromq" with vi.mock)`);
  const o = optionsRecord(where, value, [...INTERLEAVES_OPTIONS, ...extra]);
  if (!isZmqModule(o["zmq"])) {
    throw new InvalidOptionsError(`${where}: options.zmq must be the zeromq module (import * as zmq from "zeromq", instrumented with vi.mock or instrument()), got ${showValue(o["zmq"])}`);
  }
  const seed = o["seed"];
  if (seed !== undefined && !(typeof seed === "number" && Number.isSafeInteger(seed))) throw new InvalidOptionsError(`${where}: options.seed must be a whole number, got ${showValue(seed)}`);
  const path = o["path"];
  if (path !== undefined && !(typeof path === "string" && /^\d+(:\d+)*$/.test(path))) throw new InvalidOptionsError(`${where}: options.path must be fast-check's path such as "3:0:1", got ${showValue(path)}`);
  const strategy = oneOf(`${where}: options.strategy`, o["strategy"], ["random", "pct"] as const, "random");
  if (strategy !== "pct" && (o["depth"] !== undefined || o["steps"] !== undefined)) throw new InvalidOptionsError(`${where}: options.depth and options.steps are PCT's: add strategy: "pct"`);
  return {
    zmq: o["zmq"],
    runs: wholeNumber(`${where}: options.runs`, o["runs"], 1, 1_000_000, 30),
    strategy,
    depth: wholeNumber(`${where}: options.depth`, o["depth"], 1, 10, 3),
    steps: wholeNumber(`${where}: options.steps`, o["steps"], 1, 100_000, 20),
    ownership: oneOf(`${where}: options.ownership`, o["ownership"], ["thread", "task"] as const, "thread"),
    runTimeLimitMs: timeLimit(`${where}: options.runTimeLimitMs`, o["runTimeLimitMs"], 5_000),
    timeLimitMs: timeLimit(`${where}: options.timeLimitMs`, o["timeLimitMs"], 60_000),
    virtualTime: flag(`${where}: options.virtualTime`, o["virtualTime"], true),
    hazards: flag(`${where}: options.hazards`, o["hazards"], true),
    latencyMs: wholeNumber(`${where}: options.latencyMs`, o["latencyMs"], 0, 60_000, 1),
    replay: replayOf(where, o["replay"]),
    seed: seed as number | undefined,
    path: path as string | undefined,
    schedules: {
      maxLength: wholeNumber(`${where}: options.maxLength`, o["maxLength"], 0, 10_000, 20),
      maxChoice: wholeNumber(`${where}: options.maxChoice`, o["maxChoice"], 1, 1_000, 3),
      preemptionRate: probability(`${where}: options.preemptionRate`, o["preemptionRate"], 0.3),
    },
  };
}

/** What `checkInterleaves` found. */
export type InterleavesResult =
  | { readonly kind: "passed"; readonly runs: number; readonly seed: number }
  | {
      readonly kind: "failed";
      /** The shrunk run's label: `busy-send`, `stuck`, `unknown`... */
      readonly label: string;
      /** Shrunk timeline, verdict, replay line, and where the search found it. */
      readonly text: string;
      /** The shrunk run's delivery choices (null when the search stopped on its time limit). */
      readonly schedule: Schedule | null;
      /** Its race choices (hazards, lateness, connection and arrival points). */
      readonly races: Schedule | null;
      readonly seed: number;
      readonly path: string | null;
      /** Runs the search made up to and including the first failing one (before shrinking). */
      readonly runs: number;
      readonly shrinks: number;
    };

type UserCode = (context: InterleavedContext) => unknown;

/** One run of the search, failing with the run's own report when its verdict is not ok. */
function runOnce(fn: UserCode, o: Resolved, zmq: ZmqModule) {
  return async (choices: { readonly schedule?: Schedule; readonly races?: Schedule; readonly draw?: StrategyDraw }): Promise<InterleavedReport> => {
    const report = await runInterleaved(fn, {
      zmq,
      schedule: choices.schedule ?? [],
      races: choices.races ?? [],
      ...(choices.draw === undefined ? {} : { selector: choices.draw.selector() }),
      ownership: o.ownership,
      timeLimitMs: o.runTimeLimitMs,
      virtualTime: o.virtualTime,
      hazards: o.hazards,
      latencyMs: o.latencyMs,
    });
    if (report.verdict.kind !== "ok") throw new InterleavingFailure(report.label, report.text, report.verdict.kind === "error" ? { cause: report.verdict.error } : { cause: report });
    return report;
  };
}

/** What a finished search reports about where it stopped (fast-check's run details). */
interface SearchDetails {
  readonly seed: number;
  readonly counterexamplePath: string | null;
  readonly numRuns: number;
  readonly numShrinks: number;
  readonly errorInstance: unknown;
  readonly interrupted: boolean;
}

function foundAt(d: SearchDetails, how: string): string {
  return `search: ${how}, failed after ${d.numRuns} run(s), shrunk ${d.numShrinks} time(s)\nfast-check seed=${d.seed} path=${JSON.stringify(d.counterexamplePath)}`;
}

/** The failure a failed search reports: the shrunk run's own (timeline first), or what else went wrong. */
function failureOf(d: SearchDetails, how: string): InterleavingFailure {
  const err = d.errorInstance;
  if (InterleavingFailure.is(err)) return new InterleavingFailure(err.label, `${err.message.slice(err.label.length + 1)}\n${foundAt(d, how)}`, { cause: err.cause });
  if (d.interrupted) return new InterleavingFailure("unknown", `the search was interrupted after ${d.numRuns} run(s) (time limit); this is not a pass.\n${foundAt(d, how)}`);
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new InterleavingFailure("error", `${text}\n${foundAt(d, how)}`, { cause: err });
}

/** Plain choices: a schedule and race choices (hazards, lateness, connections, arrivals), each shrinking toward fewer and smaller choices. */
function choicesArbitrary(c: ScheduleConstraints): fc.Arbitrary<[Schedule, Schedule]> {
  return fc.tuple(schedules(c), schedules(c));
}

/**
 * Searches the completion orders (and hazards) of `fn` and returns the outcome: the shrunk
 * failing run's report text, or a pass. With `strategy: "pct"`, the failing run PCT finds is
 * then shrunk as a plain schedule, like any other.
 */
async function search(fn: UserCode, options: InterleavesOptions, where: string): Promise<InterleavesResult> {
  if (typeof fn !== "function") throw new InvalidOptionsError(`${where}: the first argument must be the function to run, got ${showValue(fn)}`);
  const o = resolveInterleavesOptions(where, options, where === "itInterleaves" ? ["timeout"] : []);
  const zmq = instrument(o.zmq);
  const once = runOnce(fn, o, zmq);
  const base: fc.Parameters<[[Schedule, Schedule]]> = {
    interruptAfterTimeLimit: o.timeLimitMs,
    markInterruptAsFailure: true,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.path === undefined ? {} : { path: o.path }),
  };
  const plain = fc.asyncProperty(choicesArbitrary(o.schedules), async ([schedule, races]) => {
    await once({ schedule, races });
  });
  const failed = (d: SearchDetails, how: string, schedule: Schedule | null, races: Schedule | null): InterleavesResult => {
    const failure = failureOf(d, how);
    return { kind: "failed", label: failure.label, text: failure.message.slice(failure.label.length + 1), schedule, races, seed: d.seed, path: d.counterexamplePath, runs: d.numRuns, shrinks: d.numShrinks };
  };
  if (o.replay !== undefined) {
    const d = await fc.check(plain, { ...base, numRuns: 1, examples: [[[[...o.replay.schedule], [...o.replay.races]]]], endOnFailure: true });
    return d.failed ? failed(d, "replay", o.replay.schedule, o.replay.races) : { kind: "passed", runs: 1, seed: d.seed };
  }
  if (o.strategy === "random") {
    const d = await fc.check(plain, { ...base, numRuns: o.runs });
    if (!d.failed) return { kind: "passed", runs: d.numRuns, seed: d.seed };
    const [schedule, races] = d.counterexample?.[0] ?? [null, null];
    return failed(d, "random", schedule, races);
  }
  // PCT: draw a seed per run; a failing run's picks are a plain schedule, shrunk like any other.
  let found: InterleavingFailure | null = null;
  const pct = fc.asyncProperty(strategyDraws({ strategy: "pct", depth: o.depth, steps: o.steps }), async (draw) => {
    try {
      await once({ draw });
    } catch (err) {
      if (InterleavingFailure.is(err)) found = err;
      throw err;
    }
  });
  const d = await fc.check(pct, { interruptAfterTimeLimit: o.timeLimitMs, markInterruptAsFailure: true, numRuns: o.runs, endOnFailure: true, ...(o.seed === undefined ? {} : { seed: o.seed }) });
  if (!d.failed) return { kind: "passed", runs: d.numRuns, seed: d.seed };
  const report = (found as InterleavingFailure | null)?.cause as InterleavedReport | undefined;
  if (report === undefined || typeof report !== "object" || !("schedule" in report)) return failed(d, `pct depth ${o.depth}`, null, null);
  const shrunk = await fc.check(plain, { numRuns: 1, examples: [[[[...report.schedule], [...report.races]]]], interruptAfterTimeLimit: o.timeLimitMs, markInterruptAsFailure: true });
  if (!shrunk.failed) return failed(d, `pct depth ${o.depth} (its run did not fail again when replayed)`, report.schedule, report.races);
  const [schedule, races] = shrunk.counterexample?.[0] ?? [null, null];
  return failed({ ...shrunk, seed: d.seed, counterexamplePath: d.counterexamplePath, numRuns: d.numRuns }, `pct depth ${o.depth}, then shrunk`, schedule, races);
}

/**
 * Runs `fn` under many delivery orders (as `itInterleaves` does) and returns the outcome
 * instead of failing a test: for suites that assert that a known bug is caught.
 */
export function checkInterleaves(fn: UserCode, options: InterleavesOptions): Promise<InterleavesResult> {
  return search(fn, options, "checkInterleaves");
}

/** As `checkInterleaves`, but a failure is thrown as an `InterleavingFailure` whose message starts with the rule and the timeline. */
export async function assertInterleaves(fn: UserCode, options: InterleavesOptions, where = "assertInterleaves"): Promise<void> {
  const r = await search(fn, options, where);
  if (r.kind === "failed") throw new InterleavingFailure(r.label, r.text);
}
