// Timer orders: the virtual clock against the real event loop, on random timer programs.
//
//   npx tsx bench/user/timer-orders.ts [seed=7] [programs=40] [realRuns=60] [kitRuns=30]
//
// Each program is a few timeouts and intervals (0 to 3 ms; an interval beats 2 or 3 times),
// some of which start more timers when they first fire, at once or in a microtask. Each program
// runs `realRuns` times on the real loop and `kitRuns` times under `runInterleaved` (seeds
// 0..kitRuns-1), and each run gives the order its timers fired in. It prints, per program, the
// kit orders the real loop never gave (an order the kit should not produce; with few real runs
// a rare real order can be missing, so look at the counts) and the real orders the kit never
// gave, then the share of real runs whose order the kit gave. docs/binding-timing.md (R23)
// quotes its figures. Exits 1 if some kit order was never given by the real loop.
import * as zmq from "zeromq";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";

interface TimerSpec {
  readonly kind: "timeout" | "interval";
  readonly ms: number;
  /** Beats, for an interval. */
  readonly beats: number;
  /** Starts its children in a microtask (else at once) when it first fires. */
  readonly micro: boolean;
  readonly children: readonly TimerSpec[];
}

/** mulberry32: a small seeded generator, so a seed gives the same programs everywhere. */
function generator(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

function draw(next: (n: number) => number, depth: number): TimerSpec[] {
  return Array.from({ length: 1 + next(depth === 0 ? 3 : 2) }, () => ({
    kind: next(3) === 0 ? "interval" : "timeout",
    ms: next(4),
    beats: 2 + next(2),
    micro: next(2) === 0,
    children: depth < 1 && next(2) === 0 ? draw(next, depth + 1) : [],
  }));
}

/** Starts the program's timers; resolves once every timer has fired its last time. `seen` gets the firings. */
function program(specs: readonly TimerSpec[], seen: string[]): Promise<void> {
  return new Promise<void>((resolve) => {
    let live = 0;
    const start = (spec: TimerSpec, name: string): void => {
      live++;
      const fire = (beat: number, last: boolean): void => {
        seen.push(spec.kind === "interval" ? `${name}#${beat}` : name);
        const finish = (): void => {
          if (beat === 1) spec.children.forEach((child, i) => start(child, `${name}.${i}`));
          if (last && --live === 0) resolve();
        };
        if (beat === 1 && spec.micro) queueMicrotask(finish);
        else finish();
      };
      if (spec.kind === "timeout") setTimeout(() => fire(1, true), spec.ms);
      else {
        let beat = 0;
        const id = setInterval(() => {
          beat++;
          if (beat >= spec.beats) clearInterval(id);
          fire(beat, beat >= spec.beats);
        }, spec.ms);
      }
    };
    specs.forEach((spec, i) => start(spec, `T${i}`));
  });
}

function count(into: Map<string, number>, key: string): void {
  into.set(key, (into.get(key) ?? 0) + 1);
}

async function main(): Promise<void> {
  const [seed, programs, realRuns, kitRuns] = [7, 40, 60, 30].map((d, i) => Number(process.argv[2 + i] ?? d));
  const z = instrument(zmq);
  const next = generator(seed ?? 7);
  let unseen = 0;
  let reached = 0;
  let total = 0;
  for (let p = 0; p < (programs ?? 40); p++) {
    const specs = draw(next, 0);
    const real = new Map<string, number>();
    for (let i = 0; i < (realRuns ?? 60); i++) {
      const seen: string[] = [];
      await program(specs, seen);
      count(real, seen.join(" "));
    }
    const kit = new Map<string, number>();
    for (let s = 0; s < (kitRuns ?? 30); s++) {
      const seen: string[] = [];
      const report = await runInterleaved(() => program(specs, seen), { zmq: z, seed: s });
      count(kit, report.label === "ok" ? seen.join(" ") : `${report.label}: ${seen.join(" ")}`);
    }
    for (const [order, n] of real) {
      total += n;
      if (kit.has(order)) reached += n;
    }
    const never = [...kit].filter(([order]) => !real.has(order));
    const missed = [...real].filter(([order]) => !kit.has(order));
    if (never.length > 0) unseen++;
    if (never.length > 0 || missed.length > 0) {
      console.log(`program ${p}: ${JSON.stringify(specs)}`);
      for (const [order, n] of never) console.log(`  kit order the loop never gave (${n} of ${kitRuns} kit runs): ${order}`);
      for (const [order, n] of missed) console.log(`  real order the kit never gave (${n} of ${realRuns} real runs): ${order}`);
    }
  }
  console.log(`${programs} programs (seed ${seed}): ${unseen} with a kit order the real loop never gave; the kit gave the order of ${reached} of ${total} real runs`);
  if (unseen > 0) process.exitCode = 1;
}

await main();
