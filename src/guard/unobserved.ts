import type { GuardContext } from "./context.js";
import { breachError } from "./breach-error.js";
import type { IssuedOp } from "./issued.js";
import type { OwnershipError } from "./ownership-error.js";
import { rejectionHub, type RejectionClaimer } from "./rejection-hub.js";
import type { SocketRecord } from "./socket-record.js";

/**
 * How a plain guard context finds `unobserved-rejection`: it does not attach a handler to the
 * promises it returns (a reaction per op costs more than the guard may), so it cannot refuse
 * a close before it rejects an op nobody awaits. Instead, while the context has a guarded
 * socket open (and for one loop turn after its last close, when the close's rejections are
 * reported), it joins the thread's rejection hub; when Node reports one of the context's ops
 * as an unhandled rejection, the context raises an `unobserved-rejection` OwnershipError in its
 * place (through `report`, and as the error the test or process sees). The trade-off: the
 * close happens, and the violation surfaces when Node finds it, after the current tick.
 */
export class UnobservedWatch implements RejectionClaimer {
  private readonly ctx: GuardContext;
  /** The loop turn after a close, while its rejections may still be reported. */
  private lingering: NodeJS.Immediate | null = null;

  constructor(ctx: GuardContext) {
    this.ctx = ctx;
  }

  /** A plain guarded socket was opened in the context (joining twice is a no-op). */
  opened(): void {
    rejectionHub().join(this);
  }

  /** A plain guarded socket was closed: leave the hub a turn later if nothing is open by then. */
  closed(): void {
    if (this.lingering !== null) clearImmediate(this.lingering);
    this.lingering = setImmediate(() => {
      this.lingering = null;
      if (!this.needsHub) rejectionHub().leave(this);
    });
  }

  get needsHub(): boolean {
    return this.lingering !== null || this.ctx.sockets.some((s) => !s.closed && !s.raw.closed);
  }

  claim(reason: unknown, promise: Promise<unknown>): OwnershipError | null {
    const ctx = this.ctx;
    if (ctx.tracked || !ctx.rules.has("unobserved-rejection")) return null;
    for (const s of ctx.sockets) {
      if (s.lastSend.promise === promise) return this.raise(s, s.lastSend, reason);
      if (s.lastRecv.promise === promise) return this.raise(s, s.lastRecv, reason);
    }
    return null;
  }

  /** The error for an op of `s` whose rejection nobody observed; kept in the context's violations. */
  private raise(s: SocketRecord, op: IssuedOp, reason: unknown): OwnershipError {
    const ctx = this.ctx;
    const rejected = op.view(s.name, true);
    const byClose = op.closedUnder && s.closedBy !== null;
    const caller = byClose && s.closedBy !== null ? s.closedBy : rejected.actor;
    const error = breachError(s, caller, byClose ? { kind: "close", socket: s.name } : rejected.op, { rule: "unobserved-rejection", other: rejected }, byClose ? s.closedAt : ctx.nextStep(), reason);
    ctx.report(error, "raised");
    return error;
  }
}
