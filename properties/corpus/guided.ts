/**
 * Guided replay of an observed run: the order of completions a program showed on the real
 * binding (observed: real timing, nothing held), and a selector that steers the kit's
 * completion scheduler toward that order. At every choice point it picks the held completion
 * whose socket comes first in the observed order after what has completed so far, or a timer
 * when the next completion is not held (the timer's callback leads to it). Whether timers start
 * a millisecond late, connections land after a turn, or a receive over tcp found its message
 * still on its way (the scheduler's lateness points) cannot be read off the order: `steer`
 * searches over which of them to answer late, extending runs that followed the observed order
 * furthest. A kit run steered so that shows the observed order proves the kit can produce it.
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

  /** Completions so far at each lateness point, in order. */
  readonly lateness: number[] = [];
  /** The socket each lateness point concerns (a connection point's), or undefined (a timer's, a message's). */
  readonly latenessSockets: (string | undefined)[] = [];

  private readonly zmq: ZmqModule;
  private readonly expected: readonly string[];
  /** The lateness points this run answers late. */
  readonly late: ReadonlySet<number>;

  /** `late`: the lateness points (numbered from 0 in the order they are asked) to answer late. */
  constructor(zmq: ZmqModule, expected: readonly string[], late: Iterable<number> = []) {
    this.zmq = zmq;
    this.expected = expected;
    this.late = new Set(late);
  }

  get trace(): Trace {
    return { schedule: [...this.schedule], races: [...this.races] };
  }

  select(point: ChoicePoint): number {
    const run = instrumentationOf(this.zmq)?.current ?? null;
    const done = run === null ? 0 : completionOrder(run.history).length;
    if (point.kind === "race") {
      // Hazards are never taken (an observed run shows none); a lateness point (a timer's, a
      // connection's, a tcp message's) as asked.
      const key = point.candidates[1]?.key;
      const lateness = key === "next-ms" || key === "next-turn" || key === "on-its-way";
      if (lateness) this.latenessSockets.push(point.candidates[1]?.resources?.find((r) => r.startsWith("socket:"))?.slice("socket:".length));
      const late = lateness && this.late.has(this.lateness.push(done) - 1) ? 1 : 0;
      this.races.push(late);
      return late;
    }
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

/** A kit run's outcome, as `steer` reads it. */
export interface KitRun {
  readonly label: string;
  readonly history: History;
}

/** What `steer` found. */
export interface Steered {
  readonly reproduced: boolean;
  /** Kit runs made. */
  readonly attempts: number;
  /** Delivery choices asked over them. */
  readonly choices: number;
  /** The last run: its selector, its order of completions, and where it left the observed one (its length when it did not). */
  readonly selector: GuidedSelector;
  readonly got: readonly string[];
  readonly at: number;
}

/** One steered kit run: the lateness points it answered late, and how far it followed the observed order. */
interface Attempt {
  readonly late: readonly number[];
  readonly selector: GuidedSelector;
  readonly got: readonly string[];
  /** Where it left the observed order (the order's length when it showed it). */
  readonly at: number;
  readonly ok: boolean;
}

/** Of the lateness points asked latest, how many `steer` pairs up (pairs of this many: 15). */
const PAIR_WINDOW = 6;

/**
 * Up to `budget` kit runs (`run` makes one with the selector it is given) steered toward
 * `want`: a depth-first search over which lateness points to answer late. The first run answers
 * every point on time. From a run that left `want` at completion k, the search tries that
 * run's late points plus one more point asked after its last late one and no later than k
 * (the latest first), then plus two of the PAIR_WINDOW latest (an order that needs two timers
 * started late at once: each alone changes nothing before k); a run that follows `want` further
 * than k is explored next, and when none of its extensions gets further, the search goes back
 * to the run before it. Points asked after the last late one keep their numbers (the run is the
 * same up to there), so every extension of a run keeps what it followed.
 */
export async function steer(zmq: ZmqModule, want: readonly string[], budget: number, run: (selector: GuidedSelector) => Promise<KitRun>): Promise<Steered> {
  let runs = 0;
  let choices = 0;
  let deepest: Attempt | null = null;
  const tried = new Set<string>();
  const attempt = async (late: readonly number[]): Promise<Attempt> => {
    tried.add(late.join(","));
    runs++;
    const selector = new GuidedSelector(zmq, want, late);
    const kit = await run(selector);
    choices += selector.trace.schedule.length;
    const got = completionOrder(kit.history);
    const ok = kit.label === "ok" && got.join(" ") === want.join(" ");
    let at = want.findIndex((w, k) => got[k] !== w);
    if (at < 0) at = ok ? want.length : Math.min(got.length, want.length);
    const made = { late, selector, got, at, ok };
    if (deepest === null || at > deepest.at) deepest = made;
    return made;
  };
  const extend = async (from: Attempt): Promise<Attempt | null> => {
    const floor = from.late.length === 0 ? -1 : Math.max(...from.late);
    const open = from.selector.lateness
      .map((done, q) => ({ done, q }))
      .filter((p) => p.q > floor && p.done <= from.at)
      .sort((a, b) => b.done - a.done || a.q - b.q)
      .map((p) => p.q);
    const near = open.slice(0, PAIR_WINDOW);
    const sets = [...open.map((q) => [q]), ...near.flatMap((q, i) => near.slice(i + 1).map((r) => [q, r]))];
    for (const add of sets) {
      if (runs >= budget) return null;
      const late = [...from.late, ...add].sort((a, b) => a - b);
      if (tried.has(late.join(","))) continue;
      const next = await attempt(late);
      if (next.ok) return next;
      if (next.at > from.at) {
        const found = await extend(next);
        if (found !== null) return found;
      }
    }
    return null;
  };
  const first = await attempt([]);
  const found = first.ok ? first : await extend(first);
  const end: Attempt = found ?? deepest ?? first;
  return { reproduced: found !== null, attempts: runs, choices, selector: end.selector, got: end.got, at: end.at };
}
