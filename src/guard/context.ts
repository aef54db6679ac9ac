import { InvalidOptionsError } from "../errors.js";
import { flag, oneOf, optionalFunction, optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { ActorId, HistoryEvent, Ownership } from "../interleaving/types.js";
import { createModel } from "../model/model.js";
import { actorKey } from "../model/state.js";
import { MODEL_RULES, type ModelRule } from "../model/verdict.js";
import type { OwnershipError } from "./ownership-error.js";
import type { PendingRecord } from "./pending.js";
import type { SocketRecord } from "./socket-record.js";
import { TaskRegistry, type TaskInfo, type Tasks } from "./tasks.js";
import { UnobservedWatch } from "./unobserved.js";


/** The socket options zeromq.js times out in real time. */
export type TimeoutOption = "receiveTimeout" | "sendTimeout";
/**
 * Where a violation went besides `violations`: thrown to the caller, raised to the process
 * as the unhandled rejection it replaces, or kept (nobody else gets it, so `onViolation` does).
 */
export type ViolationDelivery = "thrown" | "raised" | "kept";

/** Holds completed socket ops until the kit decides to hand them to the caller (the instrumented module). */
export interface CompletionGate {
  /**
   * An op completed at once: should the run hold it anyway, as zeromq.js would when it is the
   * 513th op in a row that could complete at once? (Marks the record `simulated` if so.)
   */
  waitAnyway(socket: SocketRecord, record: PendingRecord): boolean;
  /** An op that did not complete at once was issued; its real completion will come to `hold`. */
  deferred(socket: SocketRecord, record: PendingRecord): void;
  /** A real op finished; deliver its outcome to the caller later (or now). */
  hold(socket: SocketRecord, record: PendingRecord, ok: boolean, value: unknown): void;
  /**
   * An op completed at once and is not held: its caller resumes in this turn. Called inside the
   * call, before the caller gets the promise (what the gate hands over now resumes first).
   */
  inCall?(socket: SocketRecord, record: PendingRecord): void;
  /** An op that completed at once (and was not held) settled: `ok` when it sent or received a message. */
  completed?(socket: SocketRecord, record: PendingRecord, ok: boolean): void;
  /** The program closed `socket` (its ops settle inside the close). */
  closed(socket: SocketRecord): void;
  /** A guarded op was issued: the program is not quiescent. */
  activity(): void;
  /** `socket` bound, connected, subscribed or unsubscribed (what that sets off travels in real time over tcp and ipc). */
  changed?(socket: SocketRecord): void;
  /**
   * The program connects `socket` to `address`: true when the gate makes the connection land
   * later (it calls `land` then); the guard does not connect now.
   */
  connecting?(socket: SocketRecord, address: unknown, land: () => void): boolean;
  /** A connection of `socket` landed: its real `connect` was made now. */
  connected?(socket: SocketRecord): void;
  /** The program is about to send on `socket` (the real call comes next). */
  sending?(socket: SocketRecord): void;
  /** Lands the connections of `socket` the gate holds back (before a disconnect). */
  landing?(socket: SocketRecord): void;
}

/** Options of `createGuardContext`. */
export interface GuardContextOptions {
  /** Who owns a socket: the thread that created it (default) or the task. */
  readonly ownership?: Ownership;
  /** Rules to switch off (names from `MODEL_RULES`). */
  readonly disabled?: readonly ModelRule[];
  /** Record every op as `HistoryEvent`s (default false; the instrumented module turns it on). */
  readonly history?: boolean;
  /** Where task identities come from (default: named tasks on an `AsyncLocalStorage`). */
  readonly tasks?: Tasks;
  /**
   * A step counter shared with other threads (`Int32Array` over a `SharedArrayBuffer`, slot
   * 0): an instrumented run spanning worker threads numbers its steps in one sequence.
   */
  readonly steps?: Int32Array;
  /** Added to every socket name (`@w1`). */
  readonly suffix?: string;
  /**
   * Called with violations that cannot be thrown to a caller: a fire-and-forget op that
   * rejected unobserved. A plain context also raises those to the process (as the unhandled
   * rejection they replace), so by default it adds nothing; a context with history (or an
   * instrumented run) keeps the rejection from the process, and by default emits a process
   * warning. They are always kept in `violations`.
   */
  readonly onViolation?: (error: OwnershipError) => void;
}

/**
 * Everything the guard knows on one thread: the rules, the task identities, the guarded
 * sockets, the history and the violations. Pass one context to every `guard` call whose
 * sockets and tasks belong together; nothing is kept in module state.
 */
export class GuardContext {
  /** The ownership calls are checked against as they are made. */
  readonly ownership: Ownership;
  /**
   * The ownership the run is judged by. Usually `ownership`; an instrumented run checks task
   * ownership after the fact (which task a call belongs to is known only once its caller has
   * awaited it or not), so it checks calls by thread and judges by task.
   */
  ownershipRule: Ownership;
  readonly rules: ReadonlySet<ModelRule>;
  readonly tasks: Tasks;
  /** Invoke and return events, in order; `null` when history is off. */
  readonly history: HistoryEvent[] | null;
  /** Every violation seen, thrown or not, in order. */
  readonly violations: OwnershipError[] = [];
  /** Every socket guarded in this context, in creation order. */
  readonly sockets: SocketRecord[] = [];
  /** The run is over (instrumented runs): later calls freeze (async) or do nothing (sync), unchecked. */
  ended = false;
  /** Called with every violation, thrown or not (the instrumented run ends at the first). */
  onAny: ((error: OwnershipError) => void) | null = null;
  /** The instrumented module's completion gate; `null` for plain guarding. */
  gate: CompletionGate | null = null;
  /**
   * For the sockets an instrumented module made between runs: called on every op of such a
   * socket, so a run in progress learns that the program uses a socket outside it.
   */
  outsideUse: ((socket: SocketRecord) => void) | null = null;
  /**
   * Called when a socket of the context gets a `receiveTimeout` or `sendTimeout` (constructor
   * option or set): zeromq.js times those out in real time, which a run on virtual time must know.
   */
  onTimeoutOption: ((socket: SocketRecord, option: TimeoutOption, value: unknown) => void) | null = null;
  /**
   * Wrapper prototypes, per real socket prototype. They depend on the class only, so contexts
   * of one instrumented module share one map (each run would otherwise build them again).
   */
  prototypes = new Map<object, object>();
  /** Plain mode: finds ops whose rejection Node reports as unhandled. */
  readonly unobserved: UnobservedWatch;
  /** The user's `onViolation`, or null for the default. */
  private readonly onViolation: ((error: OwnershipError) => void) | null;
  private readonly counts = new Map<number, number>();
  private readonly names = new Map<string, number>();
  private readonly shared: Int32Array | null;
  private steps = 0;
  /** Added to socket names (`@w1` on a worker of an instrumented run), so names are unique across threads. */
  private readonly suffix: string;

  constructor(options: GuardContextOptions = {}) {
    // guard() passes its own options through: its keys are known here too.
    const o = optionsRecord("createGuardContext", options, ["ownership", "disabled", "history", "onViolation", "tasks", "steps", "suffix", "context", "name", "owner"]);
    const ownership = oneOf("createGuardContext: options.ownership", o["ownership"], ["thread", "task"] as const, "thread");
    const disabled = o["disabled"];
    if (disabled !== undefined && !Array.isArray(disabled)) throw new InvalidOptionsError(`createGuardContext: options.disabled must be a list of rule names, got ${showValue(disabled)}`);
    for (const r of (disabled ?? []) as unknown[]) {
      if (!MODEL_RULES.includes(r as ModelRule)) throw new InvalidOptionsError(`createGuardContext: unknown rule ${showValue(r)} in options.disabled; rules are ${MODEL_RULES.join(", ")}`);
    }
    flag("createGuardContext: options.history", o["history"], false);
    optionalFunction("createGuardContext: options.onViolation", o["onViolation"]);
    this.ownership = ownership;
    this.ownershipRule = ownership;
    this.rules = createModel({ disabled: options.disabled ?? [] }).rules;
    this.tasks = options.tasks ?? new TaskRegistry();
    this.history = options.history === true ? [] : null;
    this.onViolation = options.onViolation ?? null;
    this.shared = options.steps ?? null;
    this.suffix = options.suffix ?? "";
    this.unobserved = new UnobservedWatch(this);
  }

  /**
   * Tracked mode (an instrumented run, or history on): every op gets a record and a reaction.
   * Otherwise the guard runs lean: plain field stores per op, rare paths for the rest.
   */
  get tracked(): boolean {
    return this.gate !== null || this.history !== null;
  }

  /** The next step number (every event and every refused call takes one). */
  nextStep(): number {
    return this.shared === null ? this.steps++ : Atomics.add(this.shared, 0, 1);
  }

  /** Steps taken so far. */
  get step(): number {
    return this.shared === null ? this.steps : Atomics.load(this.shared, 0);
  }

  /** The next op index of `actor` (its position among the actor's ops). */
  nextIndex(actor: ActorId): number {
    const k = actorKey(actor);
    const n = this.counts.get(k) ?? 0;
    this.counts.set(k, n + 1);
    return n;
  }

  /** A fresh socket name for a type: `pull1`, `pull2`, ... */
  nameFor(type: string): string {
    const n = (this.names.get(type) ?? 0) + 1;
    this.names.set(type, n);
    return `${type}${n}${this.suffix}`;
  }

  /** Runs `fn` as a new task named `name` (or a reserved task). */
  task<T>(name: string | TaskInfo, fn: () => T): T {
    return this.tasks.run(name, fn);
  }

  /**
   * Keeps a violation. One that was not thrown goes to `onViolation`; without one, a kept
   * violation becomes a process warning (a raised one reaches the process anyway).
   */
  report(error: OwnershipError, delivery: ViolationDelivery | boolean): void {
    if (typeof delivery === "boolean") delivery = delivery ? "thrown" : "kept"; // the earlier `thrown` flag
    this.violations.push(error);
    this.onAny?.(error);
    if (delivery === "thrown") return;
    if (this.onViolation !== null) this.onViolation(error);
    else if (delivery === "kept") process.emitWarning(error.message, { type: "OwnershipWarning", code: "ZMQ_INTERLEAVE_OWNERSHIP" });
  }
}

/** A new guard context (one per test run, or one per thread in an application). */
export function createGuardContext(options: GuardContextOptions = {}): GuardContext {
  return new GuardContext(options);
}
