import { actorName } from "../interleaving/actor.js";
import { describeResult } from "../interleaving/describe.js";
import type { ActorId, OpResult } from "../interleaving/types.js";
import type { Choose, Decisions } from "../model/engine.js";
import type { RealResult } from "./protocol.js";

/** Real results by op, for comparing with the model and for resolving fair queuing. */
export class Observed {
  private readonly results = new Map<string, RealResult>();
  private readonly waiters = new Set<() => void>();

  static key(actor: ActorId, index: number): string {
    return `${actor.thread}/${actor.task}#${index}`;
  }

  /** Records a result; wakes whoever waits for results. */
  add(actor: ActorId, index: number, result: RealResult): void {
    this.results.set(Observed.key(actor, index), result);
    for (const w of [...this.waiters]) w();
  }

  get(actor: ActorId, index: number): RealResult | undefined {
    return this.results.get(Observed.key(actor, index));
  }

  has(actor: ActorId, index: number): boolean {
    return this.results.has(Observed.key(actor, index));
  }

  /** Resolves once `done()` holds or `ms` passed; true if it holds. Leaves no timer behind. */
  waitFor(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(ok);
      };
      const check = () => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(done()), ms);
      this.waiters.add(check);
    });
  }

  /** Resolves the model's races with libzmq's threads from what the real op did. */
  decisions(): Decisions {
    return {
      arrived: (_socket, op) => {
        const r = this.get(op.actor, op.index);
        return r?.kind === "message" || (r?.kind === "poll" && r.value);
      },
      noticed: (_socket, op) => {
        const r = this.get(op.actor, op.index);
        return r?.kind === "poll" && !r.value;
      },
      dyingSend: (_socket, op) => {
        const r = this.get(op.actor, op.index);
        return r === undefined ? "noticed" : r.kind === "error" ? "raced" : "lost";
      },
    };
  }

  /** A fair-queue chooser that picks the candidate the real receive got. */
  oracle(): Choose {
    return (_socket, candidates, op) => {
      const real = this.get(op.actor, op.index);
      if (real?.kind !== "message") return 0;
      const exact = candidates.findIndex((c) => c.payload === real.payload && c.from === real.from);
      if (exact >= 0) return exact;
      // An XPUB cannot tell which subscriber sent a subscription frame: match the frame.
      const frame = real.from === "" ? candidates.findIndex((c) => c.payload === real.payload) : -1;
      return frame >= 0 ? frame : 0;
    };
  }
}

/** Does a real result match the model's? (An XPUB frame's unknown sender matches any.) */
export function sameResult(predicted: OpResult, real: RealResult): boolean {
  switch (predicted.kind) {
    case "done":
      return real.kind === "done";
    case "poll":
      return real.kind === "poll" && real.value === predicted.value;
    case "error":
      return real.kind === "error" && real.code === predicted.code && real.sync === predicted.sync;
    case "message":
      return real.kind === "message" && real.payload === predicted.payload && (real.from === predicted.from || real.from === "");
  }
}

/** The real result as the history records it (an XPUB frame takes the sender the model matched). */
export function recorded(predicted: OpResult | undefined, real: RealResult): OpResult {
  if (real.kind === "message" && real.from === "" && predicted?.kind === "message") return { kind: "message", payload: real.payload, from: predicted.from };
  return real;
}

/** `main/t0's op #2` */
export function opRef(actor: ActorId, index: number): string {
  return `${actorName(actor)}'s op #${index}`;
}

/** A result, or "still pending", in words. */
export function resultText(r: OpResult | undefined): string {
  return r === undefined ? "still pending" : describeResult(r);
}
