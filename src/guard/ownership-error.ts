import { KitError } from "../errors.js";
import { actorName } from "../interleaving/actor.js";
import type { ActorId, Op } from "../interleaving/types.js";
import type { PendingOp, Rule } from "../model/verdict.js";

const footprint = Symbol.for("zmq-interleave.ownership-error");

/** What an `OwnershipError` reports: the broken rule, on which socket, by whom, and where the socket came from. */
export interface OwnershipFacts {
  readonly rule: Rule;
  /** The guarded socket's name (`pull1`, or the `name` given to `guard`). `null` for a worker exit that touches no socket. */
  readonly socket: string | null;
  /** Who owned the socket when the call was made. */
  readonly owner: ActorId | null;
  /** The actor that made the refused call. */
  readonly caller: ActorId;
  /** The refused call, as an op. */
  readonly op: Op;
  /** The other op involved (the pending one for busy, lost-wakeup, unobserved-rejection and teardown rules). */
  readonly other: PendingOp | null;
  /** Step of the refused call in the guard's history. */
  readonly step: number;
  /** Where the socket was created (or guarded): one stack line, `file:line:column`. */
  readonly createdAt: string;
  /** The actor that created (or guarded) the socket. */
  readonly creator: ActorId;
  /** The model's sentence for the rule (`violationSentence`). */
  readonly sentence: string;
  /** For use-after-close: the step of the close. */
  readonly closedAt?: number;
  /** When the breach depends on timing: when zeromq.js really fails (added to reports). */
  readonly hazard?: string;
  /** For an awaited op whose rejection escaped the function that awaited it: who closed the socket, and when. */
  readonly escaped?: { readonly closer: ActorId | null; readonly closedAt: number | null };
  /** For `worker.terminate()` refused while ops of the worker waited: which worker thread, how many ops, the oldest one's step. */
  readonly terminated?: { readonly thread: number; readonly pending: number; readonly oldest: number };
}

/**
 * A call on a guarded socket that breaks one of the model's rules. Thrown before the call
 * reaches the real socket, except: a busy send or receive is refused by zeromq.js itself
 * (its EBUSY is the `cause`), and an `unobserved-rejection` of a plain guard is raised when
 * Node reports the op's rejection as unhandled (the rejection is the `cause`). `code` is
 * always `"OWNERSHIP"`; `rule` says which rule. `OwnershipError.is(err)` works across
 * threads and duplicate package copies.
 */
export class OwnershipError extends KitError {
  readonly [footprint] = true;
  readonly rule: Rule;
  readonly socket: string | null;
  readonly owner: ActorId | null;
  readonly caller: ActorId;
  readonly op: Op;
  readonly other: PendingOp | null;
  readonly step: number;
  readonly createdAt: string;
  readonly creator: ActorId;
  /** For use-after-close: the step of the close, else null. */
  readonly closedAt: number | null;
  /** When the breach depends on timing: when zeromq.js really fails; else null. */
  readonly hazard: string | null;
  /** For an escaped rejection: who closed the socket and when; else null. */
  readonly escaped: { readonly closer: ActorId | null; readonly closedAt: number | null } | null;
  /** For a refused `worker.terminate()`: the worker thread and how many of its ops waited; else null. */
  readonly terminated: { readonly thread: number; readonly pending: number; readonly oldest: number } | null;

  constructor(facts: OwnershipFacts, options?: { cause?: unknown }) {
    const where = facts.socket === null ? "" : `\n  ${facts.socket} was created by ${actorName(facts.creator)} at ${facts.createdAt}`;
    const hazard = facts.hazard === undefined ? "" : ` ${facts.hazard}`;
    super("OWNERSHIP", `[${facts.rule}] ${facts.sentence}${hazard}${where}`, options);
    this.name = "OwnershipError";
    this.rule = facts.rule;
    this.socket = facts.socket;
    this.owner = facts.owner;
    this.caller = facts.caller;
    this.op = facts.op;
    this.other = facts.other;
    this.step = facts.step;
    this.createdAt = facts.createdAt;
    this.creator = facts.creator;
    this.closedAt = facts.closedAt ?? null;
    this.hazard = facts.hazard ?? null;
    this.escaped = facts.escaped ?? null;
    this.terminated = facts.terminated ?? null;
  }

  /** True for an `OwnershipError` from any copy of the package or any thread. */
  static override is(err: unknown): err is OwnershipError {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[footprint] === true;
  }
}
