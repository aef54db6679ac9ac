/**
 * Guided replay of an observed run: the order of completions a program showed on the real
 * binding (observed: real timing, nothing held), and a selector that steers the kit's
 * completion scheduler toward that order. At every choice point it picks the held completion
 * whose socket comes first in the observed order after what has completed so far, or a timer
 * when the next completion is not held (the timer's callback leads to it). A kit run
 * steered so that shows the observed order proves the kit can produce it.
 */
import type { History } from "../../src/interleaving/types.js";
import { instrumentationOf, type ZmqModule } from "../../src/instrument/instrument.js";
import type { ChoicePoint, Selector, Trace } from "../../src/schedule/strategy.js";

/** The completions of a run's main thread, in order: `socket.op:outcome` (payloads left out: they hold fresh ids). */
export function completionOrder(history: History): string[] {
  const invoked = new Map<string, string>();
  const out: string[] = [];
  for (const e of history) {
    if (e.actor.thread !== 0) continue;
    const key = `${e.actor.task}/${e.index}`;
    if (e.kind === "invoke") invoked.set(key, e.op.kind === "exit" ? "exit" : `${e.op.socket}.${e.op.kind}`);
    else out.push(`${invoked.get(key) ?? "?"}:${e.result.kind}`);
  }
  return out;
}

/** Steers one kit run of `zmq`'s current run toward `expected` (see the file's comment). */
export class GuidedSelector implements Selector {
  readonly redundant = false;
  /** Completions so far at each choice point, and whether the next observed one was offered there. */
  readonly points: { readonly done: number; readonly offered: boolean }[] = [];
  private readonly schedule: number[] = [];
  private readonly races: number[] = [];

  private readonly zmq: ZmqModule;
  private readonly expected: readonly string[];

  constructor(zmq: ZmqModule, expected: readonly string[]) {
    this.zmq = zmq;
    this.expected = expected;
  }

  get trace(): Trace {
    return { schedule: [...this.schedule], races: [...this.races] };
  }

  select(point: ChoicePoint): number {
    if (point.kind === "race") {
      this.races.push(0);
      return 0;
    }
    const run = instrumentationOf(this.zmq)?.current ?? null;
    const done = run === null ? 0 : completionOrder(run.history).length;
    const rest = this.expected.slice(done);
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    point.candidates.forEach((c, i) => {
      const socket = c.resources?.find((r) => r.startsWith("socket:"))?.slice("socket:".length);
      const at = socket === undefined ? -1 : rest.findIndex((o) => o.startsWith(`${socket}.`));
      if (at >= 0 && at < bestAt) [best, bestAt] = [i, at];
    });
    // What completes next is not held: a timer (when one may fire) is what leads to it.
    const timer = point.candidates.findIndex((c) => c.key.startsWith("timer:"));
    if (timer >= 0 && bestAt > 0) best = timer;
    this.points.push({ done, offered: bestAt === 0 || timer >= 0 });
    if (best < 0) best = 0;
    this.schedule.push(best);
    return best;
  }
}

/**
 * Why a steered run left the observed order at completion `at`: `"not offered"` when a choice
 * point there did not offer the observed completion (nor a timer leading to it), `"no choice"`
 * when no choice was asked there (the binding's own timing, or a rule with one outcome, decided).
 */
export function divergence(selector: GuidedSelector, at: number): "not offered" | "no choice" {
  return selector.points.some((p) => p.done === at && !p.offered) ? "not offered" : "no choice";
}
