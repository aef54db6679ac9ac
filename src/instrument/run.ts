import type { ActorId, History, Ownership, Schedule } from "../interleaving/types.js";
import { InvalidOptionsError } from "../errors.js";
import { flag, oneOf, optionsRecord, timeLimit, wholeNumber } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { OwnershipError } from "../guard/ownership-error.js";
import type { TaskInfo } from "../guard/tasks.js";
import type { TimelineInput } from "../report/timeline.js";
import type { Selector } from "../schedule/strategy.js";
import type { GuardRun } from "./guard-run.js";
import { Instrumentation, instrumentationOf, type ZmqModule } from "./instrument.js";
import type { LaneMap } from "./lanes.js";
import { realClearTimeout, realNow, realSetTimeout } from "./real-time.js";
import { laneError, laneVerdict } from "./lane-verdict.js";
import { guardVerdictLabel, renderRunReport, runTimelineInput } from "./report.js";
import { judge, settle, type GuardVerdict, type Outcome } from "./verdict.js";

/** What user code gets in a guarded run. */
export interface InterleavedContext {
  /** The instrumented `zeromq` module of this run. */
  readonly zmq: ZmqModule;
  /** Runs `fn` as a task named `name` (tasks are found without it; this names one). */
  task<T>(name: string | TaskInfo, fn: () => T): T;
  /** A task identity to hand a socket to before the task starts. */
  reserve(name: string): TaskInfo;
  /** Moves a socket to another task of this thread. */
  handoff(socket: object, to: TaskInfo | ActorId | string): void;
  /** The run itself (context, scheduler, clock, history). */
  readonly run: GuardRun;
}

/** Options of `runInterleaved`. */
export interface RunInterleavedOptions {
  /** The instrumented module (from `instrument`, e.g. through `vi.mock`) or the real `zeromq`. */
  readonly zmq: ZmqModule;
  /** Delivery choices. Default `[]` (the oldest completion first). */
  readonly schedule?: Schedule;
  /** Race choices (hazards, lateness, connection and arrival points), as a replay line's `races` gives them. Default `[]`. */
  readonly races?: Schedule;
  /** A strategy's selector deciding instead of `schedule` and `races` (PCT, say). */
  readonly selector?: Selector;
  /** Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Real time for the user code plus settling, in ms. Default 10 000. Past it the verdict is `unknown`. */
  readonly timeLimitMs?: number;
  /** Run the program's timers on virtual time (default true). */
  readonly virtualTime?: boolean;
  /** Explore hazards: ops that completed at once held as zeromq.js holds the 513th in a row (default true). */
  readonly hazards?: boolean;
  /**
   * Virtual ms a held completion may wait while a timer due that much later fires first, and a
   * turn after the first at one virtual instant may start its timers late (default 1: a 1 ms
   * timer fired before a loopback message sent with it; a turn's timers started a millisecond
   * later; 0: timers wait for every held completion and start on time). Raise it for code that
   * must survive a slow network or event loop.
   */
  readonly latencyMs?: number;
  /** Observe only: real timing and real timers, nothing held (to compare the kit's orders with real ones). */
  readonly observe?: boolean;
  /** fast-check seed and path, for the report's replay line. */
  readonly seed?: number;
  readonly path?: string;
}

/** The outcome of one guarded run. */
export interface InterleavedReport {
  readonly verdict: GuardVerdict;
  /** `ok`, the rule, `stuck`, `error` or `unknown`. */
  readonly label: string;
  /** The run's events, with actors as the report numbers them (one per task). */
  readonly history: History;
  readonly violations: readonly OwnershipError[];
  /** Delivery choices the run made (replaying them, with `races`, reproduces its order). */
  readonly schedule: Schedule;
  /** Race choices the run made (hazards, lateness, connection and arrival points). */
  readonly races: Schedule;
  /** How far the virtual clock moved during the run, in ms: the program's sleeps and timers, taken in no real time (0 without virtual time). */
  readonly virtualMs: number;
  /** Timeline, verdict and replay line, ready to print. */
  readonly text: string;
  /** The run as `writeTimeline` (HTML, SVG, text) takes it: the run as an interleaving, its history and verdict. */
  readonly timeline: TimelineInput;
}

/**
 * Runs user code once on the instrumented module under one delivery schedule, then judges it:
 * a violation (thrown or not), an error the code threw, an op or timer left pending, or a time
 * limit (`unknown`). Every socket the code opened is closed afterwards, whatever happened, and
 * timers are real again.
 */
export async function runInterleaved(fn: (context: InterleavedContext) => unknown, options: RunInterleavedOptions): Promise<InterleavedReport> {
  if (typeof fn !== "function") throw new InvalidOptionsError(`runInterleaved: the first argument must be the function to run, got ${showValue(fn)}`);
  const o = optionsRecord("runInterleaved", options, ["zmq", "schedule", "races", "selector", "ownership", "timeLimitMs", "virtualTime", "hazards", "latencyMs", "observe", "seed", "path"]);
  if (typeof o["zmq"] !== "object" || o["zmq"] === null) throw new InvalidOptionsError(`runInterleaved: options.zmq must be the zeromq module, got ${showValue(o["zmq"])}`);
  for (const key of ["schedule", "races"] as const) {
    const given = o[key];
    if (given !== undefined && !(Array.isArray(given) && given.every((c) => Number.isSafeInteger(c) && (c as number) >= 0))) {
      throw new InvalidOptionsError(`runInterleaved: options.${key} must be a list of whole numbers >= 0, got ${showValue(given)}`);
    }
  }
  const selector = o["selector"];
  if (selector !== undefined && (typeof selector !== "object" || selector === null || typeof (selector as Partial<Selector>).select !== "function")) {
    throw new InvalidOptionsError(`runInterleaved: options.selector must be a strategy's Selector (an object with select), got ${showValue(selector)}`);
  }
  oneOf("runInterleaved: options.ownership", o["ownership"], ["thread", "task"] as const, "thread");
  flag("runInterleaved: options.virtualTime", o["virtualTime"], true);
  flag("runInterleaved: options.hazards", o["hazards"], true);
  flag("runInterleaved: options.observe", o["observe"], false);
  wholeNumber("runInterleaved: options.latencyMs", o["latencyMs"], 0, 60_000, 1);
  const limit = timeLimit("runInterleaved: options.timeLimitMs", options.timeLimitMs, 10_000);
  const inst = instrumentationOf(options.zmq) ?? new Instrumentation(options.zmq);
  await inst.idle();
  const run = inst.begin({
    schedule: options.schedule ?? [],
    races: options.races ?? [],
    ...(options.selector === undefined ? {} : { selector: options.selector }),
    ownership: options.ownership ?? "thread",
    ...(options.virtualTime === undefined ? {} : { virtualTime: options.virtualTime }),
    ...(options.hazards === undefined ? {} : { hazards: options.hazards }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    ...(options.observe === undefined ? {} : { observe: options.observe }),
  });
  const deadline = realNow() + limit;
  const clockStart = run.clock?.now ?? 0;
  let virtualMs = 0;
  let verdict: GuardVerdict;
  let lanes: LaneMap;
  let events: History;
  let history: History | undefined;
  const laneHistory = (): History => (history ??= lanes.history(events));
  try {
    const context: InterleavedContext = {
      zmq: run.module,
      task: (name, f) => run.task(name, f),
      reserve: (name) => run.reserve(name),
      handoff: (socket, to) => run.handoff(socket, to),
      run,
    };
    let timer: NodeJS.Timeout | undefined;
    // The kit's own promises are made where no user code runs (quiet: no look at the stack);
    // the code under test runs later, from the first reaction.
    const race = (): Promise<Outcome> => {
      const timeout = new Promise<Outcome>((resolve) => {
        timer = realSetTimeout(() => resolve({ kind: "timeout" }), limit);
      });
      const body = Promise.resolve()
        .then(() => run.main(() => fn(context)))
        .then(
          (): Outcome => ({ kind: "done" }),
          (error: unknown): Outcome => ({ kind: "threw", error }),
        );
      const stopped = new Promise<Outcome>((resolve) => {
        run.onStop = () => resolve({ kind: "done" });
      });
      return Promise.race([body, timeout, stopped]);
    };
    const outcome = await run.tasks.quiet(race);
    realClearTimeout(timer);
    const clean = outcome.kind === "done" && run.violations.length === 0 && run.workerErrors.length === 0 && run.timerErrors.length === 0;
    // The kit's own calls from here on run no user code before their first await: their promises need no look at the stack.
    const settled = clean ? await run.tasks.quiet(() => settle(run.context, run.scheduler, run.clock, deadline, {}, 5, () => run.workers.activity())) : null;
    await run.tasks.quiet(() => run.workers.collect());
    run.refreshTeardowns();
    lanes = run.lanes();
    const judged = judge(run, lanes, outcome, settled, limit);
    // The run's events as they stand now (closing its sockets adds none to the report), put on lanes when first read.
    events = run.allHistory();
    // Lane op indices are numbered with the lanes' history: a verdict or an error that names an op needs it first.
    if (judged.kind !== "ok" || run.violations.length > 0) laneHistory();
    virtualMs = (run.clock?.now ?? 0) - clockStart;
    verdict = laneVerdict(judged, lanes, run.context);
  } finally {
    await run.tasks.quiet(() => run.close());
    inst.end(run);
  }
  const picks = run.scheduler.picks;
  const schedule = trimmed(picks.schedule);
  const races = trimmed(picks.races);
  let sockets: ReturnType<GuardRun["socketFacts"]> | undefined;
  const input = {
    context: run.context,
    // Where each socket was made is written only for a report that is read.
    get sockets() {
      return (sockets ??= run.socketFacts());
    },
    lanes,
    get history() {
      return laneHistory();
    },
    verdict,
    schedule,
    races,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  const violations = run.violations.map((v) => laneError(v, lanes, run.context));
  // The text and the timeline are drawn when read: a search reads them only for a failure.
  let text: string | undefined;
  let timeline: ReturnType<typeof runTimelineInput> | undefined;
  return {
    verdict,
    label: guardVerdictLabel(verdict),
    // A search reads a passing run's history never: its lanes are numbered when first read.
    get history(): History {
      return laneHistory();
    },
    violations,
    schedule,
    races,
    virtualMs,
    get text(): string {
      return (text ??= renderRunReport(input));
    },
    get timeline(): ReturnType<typeof runTimelineInput> {
      return (timeline ??= runTimelineInput(input));
    },
  };
}

/** Picks without their trailing zeros (a replay takes 0 past the end of a list). */
function trimmed(picks: readonly number[]): number[] {
  let n = picks.length;
  while (n > 0 && picks[n - 1] === 0) n--;
  return picks.slice(0, n);
}
