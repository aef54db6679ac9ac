// Timer orders: the virtual clock against the real event loop, on random timer programs.
//
//   npx tsx bench/user/timer-orders.ts [seed=7] [programs=40] [realRuns=60] [kitRuns=30]
//
// Each program is a few timeouts and intervals (0 to 3 ms; an interval beats 2 or 3 times),
// some of which start more timers when they first fire, at once or in a microtask. Each program
// runs `realRuns` times on the real loop and `kitRuns` times under `runInterleaved`, each kit
// run a random search run (uniform at every choice and race point, seeds 0..kitRuns-1), and
// each run gives the order its timers fired in. ZI_WORK_MS=W makes every timer callback work a
// random 0 to W real ms (both sides; virtual time ignores it), as a loaded program's turns take
// time: real runs then start timers late as the kit's lateness points let it (R17). It prints, per program, the
// kit orders the real loop never gave (an order the kit should not produce; with few real runs
// a rare real order can be missing, so look at the counts) and the real orders the kit never
// gave, then the share of real runs whose order the kit gave. docs/binding-timing.md (R23)
// quotes its figures. Exits 1 if some kit order was never given by the real loop.
import * as zmq from "zeromq";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { random } from "../../src/schedule/random.js";
import { seededRandom } from "../../src/schedule/seeded.js";
import { generator, OrderComparison, tally } from "./orders.js";

interface TimerSpec {
  readonly kind: "timeout" | "interval";
  readonly ms: number;
  /** Beats, for an interval. */
  readonly beats: number;
  /** Starts its children in a microtask (else at once) when it first fires. */
  readonly micro: boolean;
  readonly children: readonly TimerSpec[];
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

/** Real ms of work each timer callback does, drawn from 0 to this (ZI_WORK_MS; default 0): turns that take time, as a loaded program's do. */
const WORK_MS = Number(process.env["ZI_WORK_MS"] ?? 0);

/** The real clock, taken before any run makes `performance.now` virtual. */
const realNow = performance.now.bind(performance);

/** Keeps the thread busy for `ms` real ms. */
function busy(ms: number): void {
  const end = realNow() + ms;
  while (realNow() < end);
}

/** Starts the program's timers; resolves once every timer has fired its last time. `seen` gets the firings. */
function program(specs: readonly TimerSpec[], seen: string[]): Promise<void> {
  return new Promise<void>((resolve) => {
    let live = 0;
    const start = (spec: TimerSpec, name: string): void => {
      live++;
      const fire = (beat: number, last: boolean): void => {
        seen.push(spec.kind === "interval" ? `${name}#${beat}` : name);
        if (WORK_MS > 0) busy(Math.random() * WORK_MS);
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

async function main(): Promise<void> {
  const [seed, programs, realRuns, kitRuns] = [7, 40, 60, 30].map((d, i) => Number(process.argv[2 + i] ?? d)) as [number, number, number, number];
  const z = instrument(zmq);
  const next = generator(seed);
  const comparison = new OrderComparison("real loop");
  for (let p = 0; p < programs; p++) {
    const specs = draw(next, 0);
    const real = await tally(realRuns, async () => {
      const seen: string[] = [];
      await program(specs, seen);
      return seen.join(" ");
    });
    const kit = await tally(kitRuns, async (seed) => {
      const seen: string[] = [];
      const report = await runInterleaved(() => program(specs, seen), { zmq: z, selector: random().begin(seededRandom(seed)) ?? undefined, seed });
      return report.label === "ok" ? seen.join(" ") : `${report.label}: ${seen.join(" ")}`;
    });
    if (process.env["ZI_VERBOSE"] !== undefined) for (const [order, n] of real) console.log(`  real order (${n} of ${realRuns}): ${order}`);
    comparison.add(`program ${p}`, specs, real, kit, process.env["ZI_VERBOSE"] !== undefined);
  }
  comparison.finish(`programs (seed ${seed})`);
}

await main();
