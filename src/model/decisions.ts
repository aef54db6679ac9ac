import type { ActorId, HistoryEvent } from "../interleaving/types.js";
import type { ModelRule } from "./verdict.js";

/** The step engine's inputs besides the state: rules, and the answers a real-socket runner gives to races. */

/**
 * Picks which fair-queue candidate the receive `op` (an actor's `index`-th op) takes on
 * `socket`; returns an index into `candidates`. A real-socket runner answers with what the
 * real receive got.
 */
export type Choose = (
  socket: string,
  candidates: readonly { readonly from: string; readonly payload: string }[],
  op: { readonly actor: ActorId; readonly index: number },
) => number;

/** An op the model asks about: the actor's `index`-th op. */
export interface OpRef {
  readonly actor: ActorId;
  readonly index: number;
}

/**
 * Where libzmq's own threads race the caller within one turn, the model keeps a default
 * (nothing in transit has shown, no peer has noticed a close) and lets a runner that watches
 * real sockets say what happened instead.
 */
export interface Decisions {
  /** Has what is on its way to `socket` (tcp messages, late XPUB frames) shown to this op? */
  readonly arrived?: (socket: string, op: OpRef) => boolean;
  /** Has `socket` noticed that its peer closed this turn (as its `writable` read shows)? */
  readonly noticed?: (socket: string, op: OpRef) => boolean;
  /** A send into a pipe whose peer closed this turn: went in and is lost, found no pipe, or failed in the race. */
  readonly dyingSend?: (socket: string, op: OpRef) => "lost" | "noticed" | "raced";
  /** A pending receive whose wakeup was at risk (see `wakeAtRisk`): did it wake? */
  readonly woke?: (socket: string, op: OpRef) => boolean;
}

/**
 * The races the pure model can let go more than one way (where a runner of real sockets
 * answers from `Decisions` and `Choose`):
 * - `arrival`: has what is on its way to the socket (tcp messages, late XPUB frames) shown to this op?
 * - `notice`: has the socket noticed this turn that its peer closed (a `writable` read, or a close settling a send)?
 * - `dying-send`: a send into a pipe whose peer closed: lost in the dying pipe, found no pipe, or failed in the race?
 * - `wakeup`: did a pending receive whose wakeup was at risk wake?
 * - `fair-queue`: which sender's oldest message does the receive take?
 */
export type RaceKind = "arrival" | "notice" | "dying-send" | "wakeup" | "fair-queue";

/** One race and the ways it can go; outcome 0 is what the model does when nobody decides. */
export interface RacePoint {
  readonly race: RaceKind;
  readonly socket: string;
  /** The op whose step meets the race. */
  readonly op: OpRef;
  // invariant: at least two outcomes, names distinct
  readonly outcomes: readonly string[];
}

/** Picks an outcome of a race: an index into `point.outcomes`. */
export type RaceChooser = (point: RacePoint) => number;

/** What the engine needs besides the state. */
export interface EngineContext {
  readonly rules: ReadonlySet<ModelRule>;
  readonly choose: Choose | undefined;
  readonly decide?: Decisions | undefined;
  /** Asked at every race the model can let go more than one way, where `decide`/`choose` do not answer. */
  readonly race?: RaceChooser | undefined;
  readonly events: HistoryEvent[] | null;
}

