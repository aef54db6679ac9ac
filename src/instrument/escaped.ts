import { actorName } from "../interleaving/actor.js";
import type { ActorId, Op } from "../interleaving/types.js";
import { describeOp } from "../interleaving/describe.js";
import type { GuardContext } from "../guard/context.js";
import { OwnershipError } from "../guard/ownership-error.js";
import type { PendingRecord } from "../guard/pending.js";
import { rejectionHub, type RejectionClaimer } from "../guard/rejection-hub.js";
import type { SocketRecord } from "../guard/socket-record.js";

/** How deep `cause` chains are followed to recognise a wrapped rejection. */
const CAUSE_DEPTH = 4;

/**
 * An instrumented run's watch for op rejections that escape the code that awaited them.
 * The classic case is a serve loop started fire-and-forget (`void serve()`, where
 * `serve` is `for (;;) await sock.receive()`) and a stop handler that closes the socket: the
 * receive is awaited, so it is observed, but its EAGAIN leaves `serve` and rejects a promise
 * nobody holds, and Node 20 ends the process on it. The scheduler notes every rejection it
 * hands to an observing caller; while the run lasts this watch is on the thread's rejection
 * hub, and when Node reports one of those reasons (or an error whose `cause` chain holds one)
 * as unhandled, it takes it over: an `unobserved-rejection` violation for the run (the run's
 * verdict), and the process goes on.
 */
export class EscapedRejections implements RejectionClaimer {
  private readonly ctx: GuardContext;
  private readonly delivered = new WeakMap<object, { readonly socket: SocketRecord; readonly record: PendingRecord }>();
  private active = true;

  constructor(ctx: GuardContext) {
    this.ctx = ctx;
    rejectionHub().join(this);
  }

  /** The scheduler handed `reason` to code that observes the op `record` on `socket`. */
  note(socket: SocketRecord, record: PendingRecord, reason: unknown): void {
    if (typeof reason === "object" && reason !== null) this.delivered.set(reason, { socket, record });
  }

  /** The run is over: leave the hub a turn later (a rejection delivered last is reported after this turn's microtasks). */
  end(): void {
    setImmediate(() => {
      this.active = false;
      rejectionHub().leave(this);
    });
  }

  get needsHub(): boolean {
    return this.active;
  }

  claim(reason: unknown): "handled" | null {
    let r: unknown = reason;
    for (let depth = 0; depth <= CAUSE_DEPTH && typeof r === "object" && r !== null; depth++) {
      // A call the run refused (a `readable` read in a task nobody awaits, say): the run's
      // verdict has it already; it must not reach the test runner as an unhandled rejection.
      if ((this.ctx.violations as readonly unknown[]).includes(r)) return "handled";
      const d = this.delivered.get(r);
      if (d !== undefined) {
        this.raise(d.socket, d.record, reason);
        return "handled";
      }
      r = (r as { cause?: unknown }).cause;
    }
    return null;
  }

  private raise(s: SocketRecord, r: PendingRecord, reason: unknown): void {
    const ctx = this.ctx;
    if (!ctx.rules.has("unobserved-rejection")) return;
    const op = r.op;
    const close = (ctx.history ?? []).find((e) => e.kind === "invoke" && e.op.kind === "close" && e.op.socket === s.name);
    const escaped = { closer: close?.actor ?? null, closedAt: close?.step ?? null };
    const sentence = escapedSentence({ actor: r.actor, op, socket: s.name, step: r.step, owner: s.owner, ...escaped }, actorName);
    const other = { actor: r.actor, index: r.index, step: r.step, socket: s.name, op };
    const error = new OwnershipError(
      { rule: "unobserved-rejection", socket: s.name, owner: s.owner, caller: r.actor, op, other, step: ctx.nextStep(), createdAt: s.createdAt, creator: s.creator, sentence, escaped },
      { cause: reason },
    );
    ctx.report(error, "kept");
  }
}

/** What the sentence of an escaped rejection needs. */
export interface EscapedFacts {
  readonly actor: ActorId;
  readonly op: Op;
  readonly socket: string;
  /** Step of the op that rejected. */
  readonly step: number;
  readonly owner: ActorId;
  readonly closer: ActorId | null;
  readonly closedAt: number | null;
}

/** The sentence of an awaited op whose rejection escaped the function that awaited it. */
export function escapedSentence(f: EscapedFacts, name: (actor: ActorId) => string): string {
  const who = name(f.actor);
  const closer = f.closer === null ? "" : ` (closed by ${name(f.closer)} at step ${f.closedAt})`;
  return (
    `${who}'s ${describeOp(f.op)} on ${f.socket} (step ${f.step}) rejected${closer}; ${who} awaited it, but the rejection left the async function ` +
    `that awaited it and reached a promise nobody awaits or catches (a task started as \`void f()\`), so Node ends the process on the unhandled rejection. ` +
    `Catch it inside that function (a \`for await\` loop simply ends when its socket closes), or keep the function's promise and await it (owner ${name(f.owner)}).`
  );
}
