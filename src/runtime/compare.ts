import { actorName } from "../interleaving/actor.js";
import { describeResult } from "../interleaving/describe.js";
import type { ActorId, OpResult } from "../interleaving/types.js";
import type { Decisions } from "../model/decisions.js";
import { Observations } from "../model/observations.js";
import type { RealResult } from "./protocol.js";

/** Real results by op, as they arrive; the executor waits on them. */
export class Observed extends Observations {
  private readonly waiters = new Set<() => void>();
  /** Sockets seen to have noticed that their peer closed (a disconnect event, writable reading false). */
  readonly noticedGone = new Set<string>();

  /** As `Observations`, and a socket seen to have noticed its peer's close has, for sure. */
  override decisions(): Decisions {
    const d = super.decisions();
    return {
      ...d,
      noticed: (socket, op) => this.noticedGone.has(socket) || (d.noticed?.(socket, op) ?? false),
      dyingSend: (socket, op) => (this.noticedGone.has(socket) ? "noticed" : (d.dyingSend?.(socket, op) ?? "lost")),
    };
  }

  /** Records a result; wakes whoever waits for results. */
  override add(actor: ActorId, index: number, result: RealResult): void {
    super.add(actor, index, result);
    for (const w of [...this.waiters]) w();
  }

  override get(actor: ActorId, index: number): RealResult | undefined {
    return super.get(actor, index);
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
