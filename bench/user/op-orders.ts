// Completion orders: the kit's scheduler against the real binding, on random user-code programs.
//
//   npx tsx bench/user/op-orders.ts [seed=11] [programs=40] [realRuns=60] [kitRuns=30] [inproc|tcp]
//
// Each program has two or three async tasks and PUSH->PULL pairs over inproc or loopback tcp (each socket
// belongs to one task, so no op is ever refused). A task runs a few steps: send on one of its
// PUSHes, receive on one of its PULLs, or sleep 0 to 2 ms; every pair gets as many sends as
// receives. After each step a task notes `t<task>:<step>`, so a run gives the order in which
// the tasks' awaits resumed. Each program runs `realRuns` times on the plain binding and
// `kitRuns` times under `runInterleaved`, each a random search run (uniform at every choice and
// race point, seeds 0..kitRuns-1). ZI_WORK_MS=W makes each step work a random 0 to W real ms
// after it resumes (both sides), as a loaded program's turns take time. A program whose real run does
// not finish within 500 ms (tasks waiting on each other) is left out. It prints the kit orders
// the binding never gave (with few real runs a rare real order can be missing: look at the
// counts), the real orders the kit never gave, and the share of real runs whose order the kit
// gave. Exits 1 if some kit order was never given by the binding.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { random } from "../../src/schedule/random.js";
import { seededRandom } from "../../src/schedule/seeded.js";
import { generator, OrderComparison, tally } from "./orders.js";

type Transport = "inproc" | "tcp";

type Step = { readonly kind: "send"; readonly pair: number } | { readonly kind: "recv"; readonly pair: number } | { readonly kind: "sleep"; readonly ms: number };

interface Program {
  /** Which task sends on each pair, and which receives. */
  readonly pairs: readonly { readonly sender: number; readonly receiver: number }[];
  readonly tasks: readonly (readonly Step[])[];
}

function draw(next: (n: number) => number): Program {
  const taskCount = 2 + next(2);
  const pairs = Array.from({ length: 1 + next(3) }, () => {
    const sender = next(taskCount);
    return { sender, receiver: (sender + 1 + next(taskCount - 1)) % taskCount };
  });
  const tasks: Step[][] = Array.from({ length: taskCount }, () => []);
  pairs.forEach((p, pair) => {
    const messages = 1 + next(2);
    for (let m = 0; m < messages; m++) {
      tasks[p.sender]?.push({ kind: "send", pair });
      tasks[p.receiver]?.push({ kind: "recv", pair });
    }
  });
  for (const steps of tasks) {
    for (let i = next(2); i > 0; i--) steps.push({ kind: "sleep", ms: next(3) });
    // Shuffle, keeping each pair's sends in order and its receives in order (all alike anyway).
    for (let i = steps.length - 1; i > 0; i--) {
      const j = next(i + 1);
      [steps[i], steps[j]] = [steps[j] as Step, steps[i] as Step];
    }
  }
  return { pairs, tasks };
}

/** Real ms of work each step does after it resumes, drawn from 0 to this (ZI_WORK_MS; default 0): turns that take time, as a loaded program's do. */
const WORK_MS = Number(process.env["ZI_WORK_MS"] ?? 0);

/** The real clock, taken before any run makes `performance.now` virtual. */
const realNow = performance.now.bind(performance);

/** Keeps the thread busy for `ms` real ms. */
function busy(ms: number): void {
  const end = realNow() + ms;
  while (realNow() < end);
}

/** Runs the program on `z` once; `seen` gets each task's steps as they resume. `stop` closes every socket (the tasks then end). */
async function run(z: typeof zmq, program: Program, seen: string[], stop?: Promise<unknown>, transport: Transport = "inproc"): Promise<void> {
  const pushes: zmq.Push[] = [];
  const pulls: zmq.Pull[] = [];
  for (const _ of program.pairs) {
    const pull = new z.Pull({ linger: 0 });
    await pull.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : `inproc://op-orders-${randomUUID()}`);
    const push = new z.Push({ linger: 0 });
    push.connect(pull.lastEndpoint as string);
    pulls.push(pull);
    pushes.push(push);
  }
  const task = async (t: number, steps: readonly Step[]): Promise<void> => {
    for (const [i, step] of steps.entries()) {
      if (step.kind === "send") await pushes[step.pair]?.send(`m${i}`);
      else if (step.kind === "recv") await pulls[step.pair]?.receive();
      else await sleep(step.ms);
      seen.push(`t${t}:${i}`);
      if (WORK_MS > 0) busy(Math.random() * WORK_MS);
    }
  };
  const closeAll = (): void => {
    for (const s of [...pushes, ...pulls]) if (!s.closed) s.close();
  };
  void stop?.then(closeAll);
  try {
    await Promise.all(program.tasks.map((steps, t) => task(t, steps)));
  } finally {
    closeAll();
  }
}

/** Whether one plain run finishes within `ms` (if not, its sockets are closed and its tasks end). */
async function finishes(program: Program, ms: number, transport: Transport): Promise<boolean> {
  let expire = (): void => {};
  const expired = new Promise<void>((resolve) => (expire = resolve));
  const done = run(zmq, program, [], expired, transport).then(
    () => true,
    () => false,
  );
  const timer = setTimeout(expire, ms);
  const finished = await Promise.race([done, expired.then(() => false)]);
  clearTimeout(timer);
  expire();
  await done;
  return finished;
}

async function main(): Promise<void> {
  const [seed, programs, realRuns, kitRuns] = [11, 40, 60, 30].map((d, i) => Number(process.argv[2 + i] ?? d)) as [number, number, number, number];
  const transport: Transport = process.argv[6] === "tcp" ? "tcp" : "inproc";
  const z = instrument(zmq);
  const next = generator(seed);
  const comparison = new OrderComparison("binding");
  for (let p = 0; p < programs; p++) {
    const program = draw(next);
    if (!(await finishes(program, 500, transport))) {
      console.log(`program ${p}: left out (its tasks wait on each other)`);
      continue;
    }
    const real = await tally(realRuns, async () => {
      const seen: string[] = [];
      await run(zmq, program, seen, undefined, transport);
      return seen.join(" ");
    });
    const kit = await tally(kitRuns, async (seed) => {
      const seen: string[] = [];
      const report = await runInterleaved(() => run(z as unknown as typeof zmq, program, seen, undefined, transport), { zmq: z, selector: random().begin(seededRandom(seed)) ?? undefined, seed });
      return report.label === "ok" ? seen.join(" ") : `${report.label}: ${seen.join(" ")}`;
    });
    comparison.add(`program ${p}`, program, real, kit, process.env["ZI_VERBOSE"] !== undefined);
  }
  comparison.finish(`of ${programs} programs checked (seed ${seed}, ${transport})`);
}

await main();
