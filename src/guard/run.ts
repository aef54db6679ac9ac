import { InvalidOptionsError } from "../errors.js";
import type { ActorId, History, Ownership, Schedule } from "../interleaving/types.js";
import { GuardRun, Instrumentation, instrumentationOf, type ZmqModule } from "./instrument.js";
import { OwnershipError } from "./ownership-error.js";
import type { TimelineInput } from "../report/timeline.js";
import { guardVerdictLabel, renderRunReport, runTimelineInput } from "./run-report.js";
import type { TaskInfo } from "./tasks.js";
import { pendingOf, settleRun, violationVerdict, type GuardVerdict } from "./verdict.js";

/** What user code gets in a guarded run. */
export interface InterleavedContext {
  /** The instrumented `zeromq` module of this run. */
  readonly zmq: ZmqModule;
  /** Runs `fn` as a task named `name`: ownership `"task"` gives each task its own sockets. */
  task<T>(name: string | TaskInfo, fn: () => T): T;
  /** A task identity to hand a socket to before the task starts. */
  reserve(name: string): TaskInfo;
  /** Moves a socket to another task of this thread. */
  handoff(socket: object, to: TaskInfo | ActorId | string): void;
  /** The run itself (context, scheduler, history). */
  readonly run: GuardRun;
}

/** Options of `runInterleaved`. */
export interface RunInterleavedOptions {
  /** The instrumented module (from `instrument`, e.g. through `vi.mock`) or the real `zeromq`. */
  readonly zmq: ZmqModule;
  /** Delivery choices. Default `[]` (completions in the order they finished). */
  readonly schedule?: Schedule;
  /** Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Time for the user code plus settling, in ms. Default 10 000. Past it the verdict is `unknown`. */
  readonly timeLimitMs?: number;
  /** fast-check seed and path, for the report's replay line. */
  readonly seed?: number;
  readonly path?: string;
}

/** The outcome of one guarded run. */
export interface InterleavedReport {
  readonly verdict: GuardVerdict;
  /** `ok`, the rule, `stuck`, `error` or `unknown`. */
  readonly label: string;
  readonly history: History;
  readonly violations: readonly OwnershipError[];
  /** Delivery choices the run used (replaying them reproduces its order). */
  readonly schedule: Schedule;
  /** Timeline, verdict and replay line, ready to print. */
  readonly text: string;
  /** The run as `writeTimeline` (HTML, SVG, text) takes it: the run as an interleaving, its history and verdict. */
  readonly timeline: TimelineInput;
}

/** How the user code's part of a run ended (a violation ends it at once, as "done"). */
type Outcome = { readonly kind: "done" } | { readonly kind: "threw"; readonly error: unknown } | { readonly kind: "timeout" };

/**
 * Runs user code once on the instrumented module under one delivery schedule, then judges it:
 * a violation (thrown or not), an error the code threw, an op left pending, or a time limit
 * (`unknown`). Every socket the code opened is closed afterwards, whatever happened.
 */
export async function runInterleaved(fn: (context: InterleavedContext) => unknown, options: RunInterleavedOptions): Promise<InterleavedReport> {
  const limit = options.timeLimitMs ?? 10_000;
  if (!(limit > 0)) throw new InvalidOptionsError(`timeLimitMs must be > 0, got ${JSON.stringify(options.timeLimitMs)}`);
  const inst = instrumentationOf(options.zmq) ?? new Instrumentation(options.zmq);
  const run = inst.begin({ schedule: options.schedule ?? [], ownership: options.ownership ?? "thread" });
  const deadline = performance.now() + limit;
  let verdict: GuardVerdict;
  try {
    const context: InterleavedContext = {
      zmq: run.module,
      task: (name, f) => run.task(name, f),
      reserve: (name) => run.reserve(name),
      handoff: (socket, to) => run.handoff(socket, to),
      run,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), limit);
    });
    const body = Promise.resolve()
      .then(() => fn(context))
      .then(
        (): Outcome => ({ kind: "done" }),
        (error: unknown): Outcome => ({ kind: "threw", error }),
      );
    const violated = new Promise<Outcome>((resolve) => {
      run.context.onAny = () => resolve({ kind: "done" });
    });
    const outcome = await Promise.race([body, timeout, violated]);
    clearTimeout(timer);
    const first = run.violations[0];
    if (first !== undefined) verdict = violationVerdict(first);
    else if (outcome.kind === "threw") verdict = OwnershipError.is(outcome.error) ? violationVerdict(outcome.error) : { kind: "error", error: outcome.error, message: `the code under test threw: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}` };
    else if (outcome.kind === "timeout") {
      const pending = pendingOf(run.context);
      const what = pending.length === 0 ? "" : ` (${pending.length} op${pending.length === 1 ? "" : "s"} still pending, first ${pending[0]?.socket}.${pending[0]?.op.kind})`;
      verdict = { kind: "unknown", reason: "time limit", message: `the code under test did not finish within ${limit} ms${what}; this is not a pass.` };
    } else verdict = await settleRun(run.context, run.scheduler, deadline);
  } finally {
    run.dispose();
    inst.end(run);
  }
  const history = run.history;
  const schedule = [...run.scheduler.used];
  const input = { context: run.context, verdict, schedule, ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.path === undefined ? {} : { path: options.path }) };
  const text = renderRunReport(input);
  return { verdict, label: guardVerdictLabel(verdict), history, violations: run.violations, schedule, text, timeline: runTimelineInput(input) };
}
