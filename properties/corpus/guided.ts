/**
 * Guided replay of an observed run: the order of completions a program showed on the real
 * binding (observed: real timing, nothing held), and a selector that steers the kit's
 * completion scheduler toward that order. At every choice point it picks the held completion
 * whose socket comes first in the observed order after what has completed so far, or a timer
 * when the next completion is not held (the timer's callback leads to it). Whether timers start
 * a millisecond late, or connections land after a turn (the scheduler's lateness points),
 * cannot be read off the order: `steer`
 * tries runs that answer one more of them late, the latest before where the best run so far
 * left the observed order first. A kit run steered so that shows the observed order proves
 * the kit can produce it.
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
  /** The socket each lateness point concerns (a connection point's), or undefined (a timer's). */
  readonly latenessSockets: (string | undefined)[] = [];

  private readonly zmq: ZmqModule;
  private readonly expected: readonly string[];
  private readonly late: ReadonlySet<number>;

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
      // Hazards are never taken (an observed run shows none); a lateness point (a timer's or a
      // connection's) as asked.
      const key = point.candidates[1]?.key;
      const lateness = key === "next-ms" || key === "next-turn";
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

/**
 * Up to `attempts` kit runs (`run` makes one with the selector it is given) steered toward
 * `want`. The first answers every lateness point on time; each next one adds one point answered
 * late to the best answers so far (the run that followed `want` furthest): the latest point asked
 * before that run left it, not tried yet (the first of several asked at one count). Then, if
 * none showed `want`, up to `extra` more runs answer late each point, and then each pair of
 * points, the best run asked before it left `want` (the latest first): orders that need two
 * timers started late at once are out of the one-point-at-a-time steps' reach.
 */
export async function steer(zmq: ZmqModule, want: readonly string[], attempts: number, run: (selector: GuidedSelector) => Promise<KitRun>, extra = 0): Promise<Steered> {
  let base: readonly number[] = [];
  let best = -1;
  let bestPoints: readonly number[] = [];
  let bestSockets: readonly (string | undefined)[] = [];
  let bestGot: readonly string[] = [];
  const tried = new Set<string>();
  let next: readonly number[] = [];
  let choices = 0;
  for (let attempt = 1; ; attempt++) {
    const selector = new GuidedSelector(zmq, want, next);
    const kit = await run(selector);
    choices += selector.trace.schedule.length;
    const got = completionOrder(kit.history);
    const ok = kit.label === "ok" && got.join(" ") === want.join(" ");
    let at = want.findIndex((w, k) => got[k] !== w);
    if (at < 0) at = ok ? want.length : Math.min(got.length, want.length);
    if (ok) return { reproduced: true, attempts: attempt, choices, selector, got, at };
    if (attempt >= attempts) {
      tried.add(next.join(","));
      if (at > best) [best, bestPoints] = [at, selector.lateness];
      const searched = await searchPairs(zmq, want, run, bestPoints, best, tried, extra);
      const last = searched ?? { reproduced: false, runs: 0, choices: 0, selector, got, at };
      return { reproduced: last.reproduced, attempts: attempt + last.runs, choices: choices + last.choices, selector: last.selector, got: last.got, at: last.at };
    }
    if (at > best) {
      best = at;
      base = next;
      bestPoints = selector.lateness;
      bestSockets = selector.latenessSockets;
      bestGot = got;
    }
    tried.add(next.join(","));
    // The latest lateness point the best run asked before it left `want`, not answered late yet;
    // of points asked at one count of completions (connections made in one block), the first:
    // a late connection makes the later ones to its endpoint late too. First of all, the
    // connection of the socket whose completion came where the observed one did not.
    let pick: readonly number[] = base;
    const early = bestGot[best]?.split(".")[0];
    const order = bestPoints.map((_, q) => q).sort((a, b) => Number(bestSockets[b] === early) - Number(bestSockets[a] === early) || (bestPoints[b] ?? 0) - (bestPoints[a] ?? 0) || a - b);
    for (const q of order) {
      const candidate = [...base, q].sort((a, b) => a - b);
      if ((bestPoints[q] ?? Infinity) <= best && !base.includes(q) && !tried.has(candidate.join(","))) {
        pick = candidate;
        break;
      }
    }
    next = pick;
  }
}

/**
 * `steer`'s second phase: runs answering late each single lateness point, then each pair, of
 * those the best run asked at or before `best` (latest first), skipping sets tried already, up
 * to `budget` runs; stops at the first run that shows `want`. Null when it made no run.
 */
async function searchPairs(
  zmq: ZmqModule,
  want: readonly string[],
  run: (selector: GuidedSelector) => Promise<KitRun>,
  points: readonly number[],
  best: number,
  tried: ReadonlySet<string>,
  budget: number,
): Promise<{ reproduced: boolean; runs: number; choices: number; selector: GuidedSelector; got: readonly string[]; at: number } | null> {
  const asked = points.map((done, q) => ({ done, q })).filter((p) => p.done <= best).sort((a, b) => b.done - a.done || a.q - b.q).map((p) => p.q);
  const sets: number[][] = [...asked.map((q) => [q]), ...asked.flatMap((q, i) => asked.slice(i + 1).map((r) => [q, r].sort((a, b) => a - b)))];
  let last: { reproduced: boolean; runs: number; choices: number; selector: GuidedSelector; got: readonly string[]; at: number } | null = null;
  let runs = 0;
  let choices = 0;
  for (const late of sets) {
    if (runs >= budget) break;
    if (tried.has(late.join(","))) continue;
    const selector = new GuidedSelector(zmq, want, late);
    const kit = await run(selector);
    runs++;
    choices += selector.trace.schedule.length;
    const got = completionOrder(kit.history);
    const ok = kit.label === "ok" && got.join(" ") === want.join(" ");
    let at = want.findIndex((w, k) => got[k] !== w);
    if (at < 0) at = ok ? want.length : Math.min(got.length, want.length);
    last = { reproduced: ok, runs, choices, selector, got, at };
    if (ok) break;
  }
  return last;
}
