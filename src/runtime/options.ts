import { InvalidOptionsError, PoolClosedError, UnsupportedError } from "../errors.js";
import type { Interleaving } from "../interleaving/types.js";
import { oneOf, optionsRecord, timeLimit } from "../input/options.js";
import { showValue } from "../input/show.js";
import { checkModel, zeromqModel, type Model } from "../model/model.js";
import type { Selector } from "../schedule/strategy.js";
import { WorkerPool } from "./pool.js";

/** Options of `runInterleaving`. */
export interface RunOptions {
  /**
   * `guarded` (default): a step the model calls a violation is refused before it touches a
   * socket. `unguarded`: it really runs, to observe the binding.
   */
  readonly mode?: "guarded" | "unguarded";
  /** The model whose rules are enforced (guarded) or reported (unguarded). Default: every rule. */
  readonly model?: Model;
  /** Longest wait for an op the model says completes, or for readiness to show, ms. Default 5,000 (set-up may take twice as long). */
  readonly stepTimeoutMs?: number;
  /** Longest a whole run may take, ms; an isolated child is killed after it. Default 20,000. */
  readonly timeLimitMs?: number;
  /** Worker threads to reuse (default: a pool for this run only, closed at its end). */
  readonly pool?: WorkerPool;
  /**
   * `auto` (default) runs an unguarded run in a child process when the model says it can end
   * or hang the process, and any run that may just fit in the file descriptors left (see
   * docs/resources.md); `always` (unguarded runs only) forces a child process; `never` keeps
   * the run in this process, refused with `DescriptorBudgetError` if it cannot fit.
   */
  readonly isolate?: "auto" | "always" | "never";
  /**
   * A strategy's selector, to pick at each point where two or more actors can move instead of
   * the interleaving's schedule (runs in this process only: guarded, or unguarded with
   * `isolate: "never"`). The result's interleaving carries the schedule it picked.
   */
  readonly selector?: Selector;
}

/** Options with defaults applied. */
export interface ResolvedRunOptions {
  readonly mode: "guarded" | "unguarded";
  readonly model: Model;
  readonly stepTimeoutMs: number;
  readonly timeLimitMs: number;
  readonly pool: WorkerPool | null;
  readonly isolate: "auto" | "always" | "never";
  readonly selector: Selector | null;
}

const RUN_OPTIONS = ["mode", "model", "stepTimeoutMs", "timeLimitMs", "pool", "isolate", "selector"] as const;

/** Checks options before anything is created; throws `InvalidOptionsError`. */
export function resolveRunOptions(options: RunOptions = {}): ResolvedRunOptions {
  const o = optionsRecord("runInterleaving", options, RUN_OPTIONS);
  const mode = oneOf("runInterleaving: mode", o.mode, ["guarded", "unguarded"], "guarded");
  const isolate = oneOf("runInterleaving: isolate", o.isolate, ["auto", "always", "never"], "auto");
  if (o.isolate !== undefined && isolate !== "never" && mode !== "unguarded") throw new InvalidOptionsError('runInterleaving: isolate applies to unguarded runs; guarded runs never end or hang the process');
  if (o.pool !== undefined && !(o.pool instanceof WorkerPool)) throw new InvalidOptionsError(`runInterleaving: pool must be a WorkerPool, got ${showValue(o.pool)}`);
  if (o.pool?.isClosed === true) throw new PoolClosedError("runInterleaving: the pool is closed; create a new WorkerPool, or pass none (the run then starts its own threads)");
  if (o.selector !== undefined && (typeof o.selector !== "object" || o.selector === null || typeof (o.selector as Partial<Selector>).select !== "function")) {
    throw new InvalidOptionsError(`runInterleaving: selector must be a strategy's Selector (an object with select), got ${showValue(o.selector)}`);
  }
  if (o.selector !== undefined && mode === "unguarded" && isolate !== "never") {
    throw new InvalidOptionsError('runInterleaving: a selector steers a run in this process: use it with guarded runs, or with unguarded runs and isolate: "never" (or let the strategy pick a schedule on the model first)');
  }
  return {
    mode,
    model: o.model === undefined ? zeromqModel : checkModel("runInterleaving: model", o.model),
    stepTimeoutMs: timeLimit("runInterleaving: stepTimeoutMs", o.stepTimeoutMs, 5000),
    timeLimitMs: timeLimit("runInterleaving: timeLimitMs", o.timeLimitMs, 20_000),
    pool: o.pool ?? null,
    isolate,
    selector: (o.selector as Selector | undefined) ?? null,
  };
}

/**
 * What the executor cannot carry out faithfully, found before any socket exists: over tcp a
 * runtime subscription reaches the publisher at an unknown time; a SUB's runtime
 * unsubscription races libzmq's read-ahead. Both are refused with a typed error.
 */
export function unsupported(x: Interleaving): void {
  const type = new Map(x.scenario.sockets.map((s) => [s.id, s.type] as const));
  for (const p of x.programs) {
    for (const op of p.ops) {
      if ((op.kind === "subscribe" || op.kind === "unsubscribe") && x.scenario.transport === "tcp") {
        throw new UnsupportedError(`${op.kind} on ${op.socket} at run time cannot be timed over tcp (the publisher learns it asynchronously); subscribe in the socket spec (topic=...) or use inproc`);
      }
      if (op.kind === "unsubscribe" && type.get(op.socket) === "sub") {
        throw new UnsupportedError(`unsubscribe on the SUB ${op.socket} at run time leaves the messages it already queued to libzmq's read-ahead, which no runner can time; unsubscribe on an XSUB, or leave the topic subscribed`);
      }
    }
  }
}
