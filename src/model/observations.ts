import type { ActorId, History, OpResult } from "../interleaving/types.js";
import type { Choose, Decisions } from "./decisions.js";

/**
 * The other way every race can go: whatever is on its way has arrived, every peer has noticed
 * a close, a send into a dying pipe found none. With the default (nothing raced ahead), the two
 * ends a hazard check looks at before a real turn is issued.
 */
export const RACED_AHEAD: Decisions = {
  arrived: () => true,
  noticed: () => true,
  dyingSend: () => "noticed",
  woke: () => false,
};

/**
 * What real ops returned, by op: lets the model follow a real run where the binding's
 * behaviour is not fixed (fair queuing, races with libzmq's own threads within a turn).
 */
export class Observations {
  private readonly results = new Map<string, OpResult>();

  static key(actor: ActorId, index: number): string {
    return `${actor.thread}/${actor.task}#${index}`;
  }

  /** The return events of a (real) history. */
  static fromHistory(history: History): Observations {
    const o = new Observations();
    for (const e of history) if (e.kind === "return") o.add(e.actor, e.index, e.result);
    return o;
  }

  add(actor: ActorId, index: number, result: OpResult): void {
    this.results.set(Observations.key(actor, index), result);
  }

  get(actor: ActorId, index: number): OpResult | undefined {
    return this.results.get(Observations.key(actor, index));
  }

  has(actor: ActorId, index: number): boolean {
    return this.results.has(Observations.key(actor, index));
  }

  /** A fair-queue chooser that picks the candidate the real receive got. */
  choose(): Choose {
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

  /** Resolves the model's races with libzmq's threads from what the real op did. */
  decisions(): Decisions {
    return {
      arrived: (_socket, op) => {
        const r = this.get(op.actor, op.index);
        return r?.kind === "message" || (r?.kind === "poll" && r.value);
      },
      noticed: (_socket, op) => {
        // A writable that reads false, or a send that found no pipe.
        const r = this.get(op.actor, op.index);
        return (r?.kind === "poll" && !r.value) || (r?.kind === "error" && !r.sync);
      },
      dyingSend: (_socket, op) => {
        const r = this.get(op.actor, op.index);
        return r === undefined ? "noticed" : r.kind === "error" ? "raced" : "lost";
      },
      woke: (_socket, op) => this.has(op.actor, op.index),
    };
  }
}
