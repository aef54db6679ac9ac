import { InvalidOptionsError } from "../errors.js";
import { optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { ActorId, HistoryEvent, Op, Scenario } from "../interleaving/types.js";
import type { Choose, Decisions, RaceChooser } from "./decisions.js";
import { apply, check, endTurn } from "./engine.js";
import { readable as readableAt, writable as writableAt, writableUnaware } from "./messaging.js";
import { exitHangSentence, stuckSentence } from "./sentences.js";
import { actorKey, initialState, socketIndex, type ModelState, type SocketState } from "./state.js";
import { MODEL_RULES, type ModelRule, type PendingOp, type Verdict, type Violation } from "./verdict.js";

/** What one step did. */
export interface StepResult {
  /** The state after the step; the input state is left as it was. */
  readonly state: ModelState;
  /** The events of this step: the op's invoke, then every return it caused. Empty when refused. */
  readonly events: readonly HistoryEvent[];
  /** The rule the op breaks; the op is refused and the run should stop. */
  readonly violation: Violation | null;
}

/** Options of `createModel`. */
export interface ModelOptions {
  /** Rules to switch off in this copy of the model; a switched-off rule lets the op do what zeromq.js does. */
  readonly disabled?: readonly ModelRule[];
}

/** Options of one step. */
export interface StepOptions {
  /** Resolves fair queuing: which candidate a receive takes (default: the oldest). */
  readonly choose?: Choose;
  /** Resolves races with libzmq's threads within a turn (default: nothing shows early). */
  readonly decide?: Decisions;
  /**
   * Picks the outcome of every race `decide` and `choose` leave open (default: outcome 0, what
   * the model does when nobody decides). This is how the pure check explores races.
   */
  readonly race?: RaceChooser;
}

/**
 * The reference model of the zeromq.js profile: a record of pure functions. `step` never
 * mutates its input; `settle` gives the verdict once every program has ended. The records
 * `createModel` makes are frozen, and `checkInterleaving` may step their engine directly; a
 * record of other make (a copy with a function of its own) is checked through its functions.
 */
export interface Model {
  /** The rules this copy enforces. */
  readonly rules: ReadonlySet<ModelRule>;
  /** The state before step 0: every socket created, bound, connected and subscribed by its owner. */
  initial(scenario: Scenario): ModelState;
  /** Would `op` by `actor` break a rule now? */
  check(state: ModelState, actor: ActorId, index: number, op: Op): Violation | null;
  /** Issues `op` (the actor's `index`-th op). Pending ops complete only when the turn ends (`endTurn`). */
  step(state: ModelState, actor: ActorId, index: number, op: Op, options?: StepOptions): StepResult;
  /**
   * `step` for runners that own their state: updates `state` in place, appends the step's
   * events to `events` (when given) and returns the violation, if any.
   */
  stepInPlace(state: ModelState, actor: ActorId, index: number, op: Op, events: HistoryEvent[] | null, options?: StepOptions): Violation | null;
  /**
   * Ends the current actor's turn (after an awaited op, or when it cannot go on): pending ops
   * that can now complete do. Pure; returns the new state and the returns it produced.
   */
  endTurn(state: ModelState, options?: StepOptions): { readonly state: ModelState; readonly events: readonly HistoryEvent[] };
  /** `endTurn` for runners that own their state. */
  endTurnInPlace(state: ModelState, events: HistoryEvent[] | null, options?: StepOptions): void;
  /** The verdict of a run whose programs have all ended (or stopped at a violation). */
  settle(state: ModelState): Verdict;
}

/** Ops issued and not returned, in socket order (receive before send). */
export function pendingOps(state: ModelState): PendingOp[] {
  const out: PendingOp[] = [];
  state.sockets.forEach((s, i) => {
    for (const p of [s.pendingRecv, s.pendingSend]) {
      if (p !== null) out.push({ actor: p.actor, index: p.index, step: p.step, socket: state.topology.ids[i] ?? "?", op: p.op });
    }
  });
  return out;
}

/** What the actor's next op depends on: may it issue one now? (Ignores program length.) */
export function actorStatus(state: ModelState, actor: ActorId): "ready" | "blocked" | "ended" | "dead" {
  if (state.deadKeys.has(actor.thread)) return "dead";
  const key = actorKey(actor);
  if (state.endedKeys.has(key)) return "ended";
  return state.blockedKeys.has(key) ? "blocked" : "ready";
}

/** What `sock.readable` reads in this state. */
export function predictReadable(state: ModelState, socket: string): boolean {
  return readableAt(state, socketIndex(state, socket));
}

/** Whether `sock.writable` would read true through a closed peer's pipe not yet noticed (see `writableUnaware`). */
export function predictWritableUnaware(state: ModelState, socket: string): boolean {
  return writableUnaware(state, socketIndex(state, socket));
}

/** What `sock.writable` reads in this state. */
export function predictWritable(state: ModelState, socket: string): boolean {
  return writableAt(state, socketIndex(state, socket));
}

/** The verdict of a run that ends with nothing pending and nothing queued, shared (verdicts are read-only). */
const OK: Verdict = Object.freeze({ kind: "ok" });

/** No op pending and no message queued for a peer that is gone: no end rule can apply. */
function settled(state: ModelState): boolean {
  const sockets = state.sockets;
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i] as SocketState;
    if (s.pendingRecv !== null || s.pendingSend !== null || s.orphaned > 0) return false;
  }
  return true;
}

/** The end verdict, from the enabled end rules. */
export function settleState(rules: ReadonlySet<ModelRule>, state: ModelState): Verdict {
  if (state.violation !== null) return state.violation;
  if (settled(state)) return OK;
  const spec = state.topology.scenario.sockets;
  if (rules.has("stuck")) {
    // Read through what every state has (a frozen copy of the engine settles with this too).
    const dead = state.deadThreads;
    const pending = pendingOps(state).filter((p) => !dead.has(p.actor.thread));
    const first = pending[0];
    if (first !== undefined) {
      const owner = state.sockets[state.topology.ids.indexOf(first.socket)]?.owner ?? first.actor;
      return { kind: "stuck", step: state.steps, pending, actor: first.actor, socket: first.socket, owner, message: stuckSentence(first, pending.length) };
    }
  }
  if (rules.has("exit-hang")) {
    const hung = state.sockets.flatMap((s, i) => (s.orphaned > 0 && (spec[i]?.linger ?? -1) < 0 ? [i] : []));
    const first = hung[0];
    const s = first === undefined ? undefined : state.sockets[first];
    if (first !== undefined && s !== undefined) {
      const socket = state.topology.ids[first] ?? "?";
      return {
        kind: "exit-hang",
        step: state.steps,
        sockets: hung.map((i) => state.topology.ids[i] ?? "?"),
        socket,
        owner: s.owner,
        message: exitHangSentence(socket, s.orphaned),
      };
    }
  }
  return OK;
}

const MODEL_METHODS = ["initial", "check", "step", "stepInPlace", "endTurn", "endTurnInPlace", "settle"] as const;

/** True for a value shaped like a `Model` (what `createModel` returns): its rules and its functions. */
export function isModel(value: unknown): value is Model {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return m.rules instanceof Set && MODEL_METHODS.every((k) => typeof m[k] === "function");
}

/** Throws `InvalidOptionsError` unless `value` is a model; `label` names the option. */
export function checkModel(label: string, value: unknown): Model {
  if (!isModel(value)) throw new InvalidOptionsError(`${label} must be a model from createModel() (or zeromqModel), got ${showValue(value)}`);
  return value;
}

/**
 * Marks a model record made by `createModel`, whose functions are the kit's engine under its
 * rules. Not enumerable, so a spread copy (`{ ...zeromqModel, stepInPlace }`) is not marked.
 */
const KIT_ENGINE = Symbol("zmq-interleave.kit-engine");

/**
 * The rules of `model` when it is one `createModel` made (its functions are the kit's engine,
 * which a check may then step directly); null for any other record shaped like a model.
 */
export function kitEngineRules(model: Model): ReadonlySet<ModelRule> | null {
  return (model as { readonly [KIT_ENGINE]?: ReadonlySet<ModelRule> })[KIT_ENGINE] ?? null;
}

/** A copy of the zeromq.js model; `disabled` switches rules off (for mutation checks). */
export function createModel(options: ModelOptions = {}): Model {
  const o = optionsRecord("createModel", options, ["disabled"]);
  if (o.disabled !== undefined && (!Array.isArray(o.disabled) || o.disabled.some((r) => !(MODEL_RULES as readonly unknown[]).includes(r)))) {
    const bad = Array.isArray(o.disabled) ? o.disabled.find((r) => !(MODEL_RULES as readonly unknown[]).includes(r)) : o.disabled;
    throw new InvalidOptionsError(`createModel: disabled lists rules to switch off (${MODEL_RULES.join(", ")}), got ${showValue(bad)}`);
  }
  const disabled = new Set(options.disabled ?? []);
  const rules: ReadonlySet<ModelRule> = new Set(MODEL_RULES.filter((r) => !disabled.has(r)));
  const model: Model = {
    rules,
    initial: initialState,
    check: (state, actor, index, op) => check(rules, state, actor, index, op),
    step(state, actor, index, op, stepOptions = {}) {
      const next = state.clone();
      const events: HistoryEvent[] = [];
      const violation = apply({ rules, choose: stepOptions.choose, decide: stepOptions.decide, race: stepOptions.race, events }, next, actor, index, op);
      return { state: next, events, violation };
    },
    stepInPlace: (state, actor, index, op, events, stepOptions = {}) =>
      apply({ rules, choose: stepOptions.choose, decide: stepOptions.decide, race: stepOptions.race, events }, state, actor, index, op),
    endTurn(state, stepOptions = {}) {
      const next = state.clone();
      const events: HistoryEvent[] = [];
      endTurn({ rules, choose: stepOptions.choose, decide: stepOptions.decide, race: stepOptions.race, events }, next);
      return { state: next, events };
    },
    endTurnInPlace: (state, events, stepOptions = {}) => endTurn({ rules, choose: stepOptions.choose, decide: stepOptions.decide, race: stepOptions.race, events }, state),
    settle: (state) => settleState(rules, state),
  };
  Object.defineProperty(model, KIT_ENGINE, { value: rules });
  return Object.freeze(model);
}

/** The model with every rule on. */
export const zeromqModel: Model = createModel();
