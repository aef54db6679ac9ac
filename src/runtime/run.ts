import { randomBytes } from "node:crypto";
import { KitError, RunFailedError } from "../errors.js";
import { actorName } from "../interleaving/actor.js";
import { describeOp } from "../interleaving/describe.js";
import type { ActorId, HistoryEvent, Interleaving } from "../interleaving/types.js";
import { turnShadows } from "../model/check.js";
import { actorStatus, type Model } from "../model/model.js";
import { RACED_AHEAD } from "../model/observations.js";
import type { ModelState } from "../model/state.js";
import type { Violation } from "../model/verdict.js";
import { Walker } from "../schedule/walker.js";
import { Observed, opRef, recorded, resultText, sameResult } from "./compare.js";
import { describeEnd, LocalHandle, WorkerLostError, type HostHandle, type WorkerHandle } from "./handle.js";
import { WorkerPool } from "./pool.js";
import type { Completion, ReadinessCheck, TurnOp } from "./protocol.js";
import type { ResolvedRunOptions } from "./options.js";
import type { Diverged, RunResult, RunVerdict } from "./result.js";
import { changedReadiness, closedSockets, disconnectsToSee, predictedReadiness, provisionalRisks, ReadinessChecks } from "./readiness.js";
import { setUp } from "./setup.js";
import { bindingModel, closeEverything, compareTeardown } from "./teardown.js";

/**
 * The lock-step engine of one real run, in this process. Each turn is planned on the model
 * (and refused there in guarded mode), issued on the real sockets in one synchronous run,
 * compared with the model, and ended: the loop runs, the ops the model says complete are
 * waited for (bounded), nothing else may complete, and readiness the model predicts must show.
 */

/** How this process runs: `handled` (nothing can end the process) or `raw` (a child of an isolated run). */
export interface RunEnvironment {
  readonly mode: "handled" | "raw";
  /** Close every socket at the end and compare how pending ops settle (false in isolated children). */
  readonly teardown: boolean;
  /** Told every history event and violation as it happens (isolated children stream them). */
  readonly onEvent?: (e: { readonly kind: "event"; readonly event: HistoryEvent } | { readonly kind: "violation"; readonly violation: Violation }) => void;
}

/** Names a run's inproc endpoints: unique in this process (every thread shares one context). */
const runIds = { prefix: randomBytes(6).toString("hex"), next: 0 };

function nextRunId(): string {
  return `${runIds.prefix}-${(runIds.next++).toString(36)}`;
}

/** A step that broke a rule only because of how a race went; it had run already. */
class Raced extends Error {
  readonly violation: Violation;
  constructor(violation: Violation) {
    super(violation.message);
    this.violation = violation;
  }
}

class Divergence extends Error {
  readonly verdict: Diverged;
  constructor(verdict: Diverged) {
    super(verdict.message);
    this.verdict = verdict;
  }
}

/** Runs `x` on real sockets in this process. */
export async function runInProcess(x: Interleaving, o: ResolvedRunOptions, env: RunEnvironment): Promise<RunResult> {
  const started = performance.now();
  const observed = new Observed();
  const sink = (c: Completion) => observed.add(c.actor, c.index, c.result);
  const threads = [...new Set([...x.programs.map((p) => p.actor.thread), ...x.scenario.sockets.map((s) => s.owner.thread)])].sort((a, b) => a - b);
  const workerThreads = threads.filter((t) => t > 0);
  const local = new LocalHandle(sink, env.mode);
  const ownPool = o.pool === null && workerThreads.length > 0 ? new WorkerPool({ mode: env.mode, maxWorkers: Math.max(1, workerThreads.length) }) : null;
  const pool = o.pool ?? ownPool;
  let workers: WorkerHandle[] = [];
  const hostOf = (thread: number): HostHandle => {
    if (thread === 0) return local;
    const h = workers[workerThreads.indexOf(thread)];
    if (h === undefined) throw new Error(`no host for thread ${thread}`);
    return h;
  };
  let run: Run;
  try {
    run = new Run(x, o, env, observed, hostOf);
  } catch (err) {
    if (ownPool !== null) await ownPool.close();
    throw KitError.is(err) ? err : new RunFailedError(0, err);
  }
  // A worker thread that ended without being asked: the run's verdict says so, whatever else happened.
  const lost = (): RunResult | null => {
    const k = workers.findIndex((w) => w.lost !== null);
    const end = workers[k]?.lost;
    if (end === undefined || end === null) return null;
    const replaced = o.pool === null ? "" : "; its pool has started a replacement, so the next run gets a fresh thread";
    return run.stopped({ kind: "unknown", reason: "crashed", message: `worker thread w${workerThreads[k] ?? "?"} ended during the run without being asked (${describeEnd(end)})${replaced}` }, started);
  };
  try {
    if (pool !== null && workerThreads.length > 0) workers = await pool.acquire(workerThreads.length, sink);
    const result = await run.execute(started);
    const ended = env.teardown ? run.compareTeardown(result, await run.tearDown(threads)) : result;
    return lost() ?? ended;
  } catch (err) {
    if (err instanceof WorkerLostError) {
      const verdict = lost();
      if (verdict !== null) return verdict;
    }
    throw KitError.is(err) ? err : new RunFailedError(run.steps, err);
  } finally {
    if (env.teardown) {
      // After an error too: nothing may stay open, and workers go back clean.
      if (!run.tornDown) await run.tearDown(threads).catch(() => []);
      if (pool !== null) pool.release(workers);
      if (ownPool !== null) await ownPool.close();
    } else {
      await run.unwatch(threads);
      if (pool !== null) pool.releaseAll();
    }
  }
}

class Run {
  tornDown = false;
  private walker: Walker | null = null;
  private readonly x: Interleaving;
  private readonly o: ResolvedRunOptions;
  private readonly env: RunEnvironment;
  private readonly observed: Observed;
  private readonly hostOf: (thread: number) => HostHandle;
  private readonly enforce: Model;
  private readonly stepper: Model;
  private state: ModelState;
  private readonly history: HistoryEvent[] = [];
  private readonly predicted: HistoryEvent[] = [];
  private readonly violations: Violation[] = [];
  /** Ops the model says have returned. */
  private readonly returned = new Set<string>();
  private readonly dead = new Set<number>();
  private divergedAt: number | null = null;
  /** The readiness predicted when the last turn ended. */
  private readinessNow: Map<string, ReadinessCheck[]> | null = null;
  private readonly checks: ReadinessChecks;

  constructor(x: Interleaving, o: ResolvedRunOptions, env: RunEnvironment, observed: Observed, hostOf: (thread: number) => HostHandle) {
    this.x = x;
    this.o = o;
    this.env = env;
    this.observed = observed;
    this.hostOf = hostOf;
    this.enforce = o.model;
    this.stepper = o.mode === "guarded" ? o.model : bindingModel(o.model);
    this.state = this.stepper.initial(x.scenario);
    this.checks = new ReadinessChecks(hostOf, observed, o.stepTimeoutMs, (step, expected, actual) => this.diverge(step, expected, actual, null));
  }

  private canRunIn(st: ModelState): (p: number) => boolean {
    return (p) => {
      const prog = this.x.programs[p];
      return prog !== undefined && actorStatus(st, prog.actor) === "ready";
    };
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.state.steps;
  }

  /** The result of a run stopped from outside its turns (a worker thread lost), with what happened until then. */
  stopped(verdict: RunVerdict, started: number): RunResult {
    return this.result(verdict, this.walker ?? new Walker(this.x.programs, this.x.schedule), started);
  }

  private result(verdict: RunVerdict, walker: Walker, started: number): RunResult {
    return {
      // Steered by a strategy: the schedule it picked, which replays the run.
      interleaving: this.o.selector === null ? this.x : { ...this.x, schedule: walker.taken.slice() },
      verdict,
      history: this.history,
      predicted: this.predicted,
      divergedAt: this.divergedAt,
      violations: this.violations,
      steps: this.state.steps,
      preemptions: walker.preemptions,
      durationMs: performance.now() - started,
      process: null,
    };
  }

  async execute(started: number): Promise<RunResult> {
    const walker = new Walker(this.x.programs, this.o.selector ?? this.x.schedule, { scenario: this.x.scenario });
    this.walker = walker;
    try {
      // A loaded machine can be slow to connect: set-up gets twice the step time.
      await setUp(this.x, this.hostOf, nextRunId(), 2 * this.o.stepTimeoutMs);
    } catch (err) {
      // A lost worker or a closed pool is not a set-up failure: the caller says what it is.
      if (err instanceof WorkerLostError || (KitError.is(err) && err.code === "POOL_CLOSED")) throw err;
      return this.result({ kind: "unknown", reason: "set-up", message: `set-up failed: ${err instanceof Error ? err.message : String(err)}` }, walker, started);
    }
    try {
      for (;;) {
        if (performance.now() - started > this.o.timeLimitMs) {
          await this.checks.flush(null);
          return this.result({ kind: "unknown", reason: "time-limit", message: `the run took longer than its time limit of ${this.o.timeLimitMs} ms` }, walker, started);
        }
        const outcome = await this.turn(walker);
        if (outcome === "end") break;
        if (outcome !== "next") return this.result(outcome, walker, started);
      }
      await this.checks.flush(null);
      const verdict = this.o.mode === "guarded" ? this.enforce.settle(this.state) : (this.violations[0] ?? this.stepper.settle(this.state));
      return this.result(verdict, walker, started);
    } catch (err) {
      if (err instanceof Divergence) return this.result(err.verdict, walker, started);
      if (err instanceof Raced) return this.result(err.violation, walker, started);
      throw err;
    }
  }

  /** Plans, issues, compares and ends one turn. */
  private async turn(walker: Walker): Promise<"next" | "end" | RunVerdict> {
    const planned = this.planTurn(walker);
    if (planned === null) return "end";
    const { actor, ops, refused, found, stop } = planned;
    // The previous turn's readiness checks: with this turn's request where it goes to their
    // thread, made now everywhere else (before anything can change what they read).
    await this.checks.flush(stop === null && ops.some((t) => t.op.kind !== "exit") ? actor.thread : null);
    for (const v of found) {
      this.violations.push(v);
      this.env.onEvent?.({ kind: "violation", violation: v });
    }
    if (stop !== null) return stop;
    // The state has not changed since the last turn ended: its predicted readiness still holds.
    const before = this.readinessNow ?? predictedReadiness(this.x, this.state, this.dead);
    const closedBefore = closedSockets(this.state);
    await this.issue(actor, ops);
    await this.endTurn(ops, before, closedBefore);
    return refused ?? "next";
  }

  /**
   * Plans a turn on the model, where its races with libzmq's threads go either way; a step
   * that breaks a rule in either is refused (guarded) before anything is issued. Null when
   * no actor can move. `stop` is a verdict that ends the run before the turn is issued.
   */
  private planTurn(walker: Walker): { actor: ActorId; ops: TurnOp[]; refused: Violation | null; found: Violation[]; stop: RunVerdict | null } | null {
    const shadows = turnShadows(this.state);
    const plan = shadows.plain;
    let pick = walker.next(this.canRunIn(plan));
    if (pick === null) return null;
    const actor = this.x.programs[pick.program]?.actor as ActorId;
    const ops: TurnOp[] = [];
    const found: Violation[] = [];
    const planned = (refused: Violation | null, stop: RunVerdict | null = null) => ({ actor, ops, refused, found, stop });
    for (;;) {
      const v = this.enforce.check(plan, actor, pick.index, pick.op) ?? this.enforce.check(shadows.ahead, actor, pick.index, pick.op);
      if (v !== null) {
        found.push(v);
        if (this.o.mode === "guarded") return planned(v);
      }
      if (v?.rule === "teardown-while-pending" && this.env.mode === "handled") {
        // It would abort this process: only an isolated run (a child process) can show it.
        if (ops.length > 0) break;
        return planned(null, { kind: "unknown", reason: "not-executable", message: `${actorName(actor)}'s exit would tear down a thread with an op in flight, which aborts the whole process; run it isolated (isolate: "auto" or "always") to see that` });
      }
      if (pick.op.kind !== "exit" && this.homeOf(pick.op.socket) !== actor.thread) {
        if (ops.length === 0) return planned(null, this.notExecutable(actor, pick.op));
        break;
      }
      const stranded = pick.op.kind === "close" && (plan.sockets[plan.topology.ids.indexOf(pick.op.socket)]?.orphaned ?? 0) > 0;
      this.stepper.stepInPlace(plan, actor, pick.index, pick.op, null);
      this.stepper.stepInPlace(shadows.ahead, actor, pick.index, pick.op, null, { decide: RACED_AHEAD });
      ops.push(stranded ? { actor, index: pick.index, op: pick.op, dropQueue: true } : { actor, index: pick.index, op: pick.op });
      if (!walker.turnContinues(this.canRunIn(plan))) break;
      const next = walker.next(this.canRunIn(plan));
      if (next === null) break;
      pick = next;
    }
    return planned(null);
  }

  private homeOf(socket: string): number {
    return this.x.scenario.sockets.find((s) => s.id === socket)?.owner.thread ?? -1;
  }

  private notExecutable(actor: ActorId, op: TurnOp["op"]): RunVerdict {
    return {
      kind: "unknown",
      reason: "not-executable",
      message: `${actorName(actor)} would call ${describeOp(op)} on a socket that lives on another thread; a zeromq.js socket exists in one thread only, so this step cannot be run for real`,
    };
  }

  /** Issues the turn on the real sockets and checks each op's immediate outcome against the model. */
  private async issue(actor: ActorId, ops: readonly TurnOp[]): Promise<void> {
    if (ops.length === 0) return;
    const socketOps = ops.filter((t) => t.op.kind !== "exit");
    const host = this.hostOf(actor.thread);
    if (socketOps.length > 0) {
      const waiting = this.checks.take(actor.thread);
      const reply = await host.request({ cmd: "turn", ops: socketOps, ...(waiting === undefined ? {} : { checks: waiting.checks, timeoutMs: this.o.stepTimeoutMs }) });
      if (waiting !== undefined) this.checks.read(waiting.checks, reply.wrong ?? [], waiting.step);
      socketOps.forEach((t, k) => {
        const now = reply.immediates[k];
        if (now?.kind === "returned") this.observed.add(t.actor, t.index, now.result);
      });
      for (const c of reply.others) this.observed.add(c.actor, c.index, c.result);
    }
    const exit = ops.find((t) => t.op.kind === "exit");
    if (exit !== undefined) {
      await host.exitThread();
      this.dead.add(actor.thread);
      this.observed.add(exit.actor, exit.index, { kind: "done" });
    }
    const events: HistoryEvent[] = [];
    const resolve = { choose: this.observed.choose(), decide: this.observed.decisions() };
    for (const t of ops) {
      const v = this.stepper.stepInPlace(this.state, t.actor, t.index, t.op, events, resolve);
      if (v !== null) {
        // Races that went different ways within one turn: the op ran, and broke a rule.
        this.violations.push(v);
        this.record(events);
        throw new Raced(v);
      }
    }
    this.record(events);
  }

  /** Ends the turn: waits for what the model says completes, checks nothing else did, syncs readiness. */
  private async endTurn(ops: readonly TurnOp[], before: Map<string, ReadinessCheck[]>, closedBefore: Set<number>): Promise<void> {
    if (ops.length === 0) return;
    const provisional = this.state.clone();
    const expected: HistoryEvent[] = [];
    this.stepper.endTurnInPlace(provisional, expected);
    const due = expected.flatMap((e) => (e.kind === "return" ? [e] : []));
    // A receive whose wakeup was at risk may never wake: wait for the others in full, for it briefly.
    const atRisk = new Set(provisionalRisks(this.state));
    const sure = due.filter((e) => !atRisk.has(Observed.key(e.actor, e.index)));
    await this.observed.waitFor(() => sure.every((e) => this.observed.has(e.actor, e.index)), this.o.stepTimeoutMs);
    if (sure.length < due.length) await this.observed.waitFor(() => due.every((e) => this.observed.has(e.actor, e.index)), Math.min(250, this.o.stepTimeoutMs));
    const events: HistoryEvent[] = [];
    this.stepper.endTurnInPlace(this.state, events, { choose: this.observed.choose(), decide: this.observed.decisions() });
    this.record(events);
    this.checkNothingElse();
    await this.syncReadiness(before);
    await this.syncDisconnects(closedBefore);
  }

  /** Over tcp, a connecter learns that its binder closed asynchronously: wait until it has. */
  private async syncDisconnects(closedBefore: Set<number>): Promise<void> {
    const byThread = disconnectsToSee(this.x, this.state, closedBefore, this.dead);
    if (byThread.size === 0) return;
    await this.checks.flush(null);
    const replies = await Promise.all([...byThread].map(([thread, ids]) => this.hostOf(thread).request({ cmd: "await-disconnect", sockets: ids, timeoutMs: this.o.stepTimeoutMs })));
    [...byThread.values()].forEach((ids, k) => {
      const late = replies[k] ?? [];
      for (const id of ids) if (!late.includes(id)) this.observed.noticedGone.add(id);
      if (late.length > 0) this.diverge(this.state.steps - 1, `${late.join(", ")} see their tcp peer gone`, `no disconnect was seen within ${this.o.stepTimeoutMs} ms`, null);
    });
  }

  /** Appends the model's events and their real counterparts; throws a Divergence where they differ. */
  private record(events: readonly HistoryEvent[]): void {
    for (const e of events) {
      if (e.kind === "invoke") {
        this.push(e, e);
        continue;
      }
      this.returned.add(Observed.key(e.actor, e.index));
      const real = this.observed.get(e.actor, e.index);
      if (real === undefined || !sameResult(e.result, real)) {
        this.predicted.push(e);
        this.diverge(e.step, `${opRef(e.actor, e.index)} returns ${resultText(e.result)}`, `${opRef(e.actor, e.index)} ${real === undefined ? "is still pending" : `returned ${resultText(real)}`}`, real === undefined ? null : { ...e, result: real });
      }
      this.push(e, { ...e, result: recorded(e.result, real) });
    }
  }

  private push(predicted: HistoryEvent, real: HistoryEvent): void {
    this.predicted.push(predicted);
    this.history.push(real);
    this.env.onEvent?.({ kind: "event", event: real });
  }

  private diverge(step: number, expected: string, actual: string, realEvent: HistoryEvent | null): never {
    this.divergedAt = this.history.length;
    if (realEvent !== null) this.history.push(realEvent);
    throw new Divergence({ kind: "diverged", step, expected, actual, message: `the real run parted from the model at step ${step}: the model says ${expected}, but ${actual}` });
  }

  /** An op the model holds pending must not have returned for real. */
  private checkNothingElse(): void {
    for (const p of this.x.programs) {
      for (let index = 0; index < p.ops.length; index++) {
        if (this.observed.has(p.actor, index) && !this.returned.has(Observed.key(p.actor, index))) {
          const real = this.observed.get(p.actor, index);
          const op = p.ops[index];
          this.diverge(this.state.steps - 1, `${opRef(p.actor, index)} (${op === undefined ? "?" : describeOp(op)}) is still pending`, `it returned ${resultText(real)}`, null);
        }
      }
    }
  }

  /** Checks the readiness the model now predicts where the turn changed it (see `ReadinessChecks`). */
  private async syncReadiness(before: Map<string, ReadinessCheck[]>): Promise<void> {
    const after = predictedReadiness(this.x, this.state, this.dead);
    this.readinessNow = after;
    await this.checks.after(changedReadiness(this.x, before, after), this.state.steps - 1);
  }

  /** Stops the disconnect observers on every live thread (runs without teardown). */
  async unwatch(threads: readonly number[]): Promise<void> {
    for (const t of threads) {
      const h = this.dead.has(t) ? null : this.hostOf(t);
      if (h?.alive === true) await h.request({ cmd: "unwatch" }).catch(() => null);
    }
  }

  /** Closes every socket on every live thread; returns how pending ops settled. */
  async tearDown(threads: readonly number[]): Promise<Completion[]> {
    this.tornDown = true;
    const live = threads.filter((t) => !this.dead.has(t) && this.hostOf(t).alive);
    return closeEverything(this.x, this.state, live, this.hostOf);
  }

  /** Pending ops must settle at teardown as `close()` settles them in the model. */
  compareTeardown(result: RunResult, settled: readonly Completion[]): RunResult {
    return compareTeardown(bindingModel(this.stepper), this.state, this.x, result, settled);
  }
}
