// @ts-check
/**
 * Child process of the kit-guard suite (bench/suites/kit-guard.ts). Plain JavaScript, run with
 * plain `node` (not tsx, whose transform distorts timings), measuring the compiled kit it is
 * given (`config.dist`, built by `npm run build`).
 *
 * Every measured thing stays open for the whole process and tinybench runs many short rounds
 * over all of them in rotated order (as bench/xpub/measure.ts does), so a slow stretch of the
 * shared machine hits raw and guarded alike; a task's cost is the median of its samples over
 * every round, per op. Prints one result line in the rig's protocol (bench/rig/protocol.ts).
 *
 * Tasks (ns per op, one op = one unit below):
 * - rt.raw / rt.guarded / rt.instrumented: `await push.send(m)` then `await pull.receive()`
 *   on an inproc Push→Pull pair: unguarded, guarded (a plain context), and from the
 *   instrumented module (its scheduler holds every completion for a quiet loop turn).
 * - poll.raw / poll.guarded: one `pull.readable` read, no receive in flight.
 * - loop.raw / loop.guarded: a poller-style round trip: `await push.send(m)`, then
 *   `while (pull.readable) await pull.receive()` (two reads, the second one after a receive).
 */
import { Bench } from "tinybench";
import * as zmq from "zeromq";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

/**
 * @typedef {{ rounds: number, timeMs: number, iterations: number, warmupMs: number }} Timing
 * @typedef {{ dist: string, inTask: boolean, round: number, timing: Timing }} Config
 * @typedef {{ push: any, pull: any }} Pair
 */

/** @type {Config} */
const config = JSON.parse(process.argv[2] ?? "{}");
const kit = await import(pathToFileURL(join(config.dist, "index.js")).href);
const message = Buffer.from("0123456789abcdef");
const batch = { rt: 100, poll: 1000, loop: 100, instrumented: 20 };

/** The rig's result line (bench/rig/protocol.ts: prefix, then the JSON message). */
function emitResult(/** @type {Record<string, number>} */ metrics, /** @type {Record<string, string>} */ notes) {
  process.stdout.write(`@zmq-bench ${JSON.stringify({ kind: "result", metrics, notes })}\n`);
}

let endpoints = 0;
/** A connected inproc Push→Pull pair from `Z`'s classes, with one message through it. */
async function pair(/** @type {any} */ Z) {
  const push = new Z.Push({ linger: 0 });
  const pull = new Z.Pull({ linger: 0 });
  const endpoint = `inproc://kit-guard-${process.pid}-${endpoints++}`;
  await pull.bind(endpoint);
  push.connect(endpoint);
  await push.send(message);
  await pull.receive();
  return { push, pull };
}

function rotate(/** @type {string[]} */ items, /** @type {number} */ by) {
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function median(/** @type {number[]} */ values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return ((s[Math.floor(mid)] ?? NaN) + (s[Math.ceil(mid)] ?? NaN)) / 2;
}

async function measure(/** @type {any} */ context) {
  // Raw and guarded ops run on the same real sockets (the guarded ones through the guard), so
  // nothing about one pair of sockets favours either side. A guarded socket that reads
  // `readable` watches its receives from then on (lean.ts), so the round-trip pair is never polled.
  const rt = await pair(zmq);
  const polled = await pair(zmq);
  const safe = {
    rt: { push: kit.guard(rt.push, { context }), pull: kit.guard(rt.pull, { context }) },
    polled: { push: kit.guard(polled.push, { context }), pull: kit.guard(polled.pull, { context }) },
  };
  const run = kit.createInstrumentedZmq({ zmq });
  const instrumented = await pair(run.module);

  // One function per task, so every call site sees one kind of socket (raw or guarded).
  /** @type {Record<string, { unit: number, fn: () => unknown, async: boolean }>} */
  const tasks = {
    "rt.raw": { unit: batch.rt, async: true, fn: () => roundTripsRaw(rt, batch.rt) },
    "rt.guarded": { unit: batch.rt, async: true, fn: () => roundTripsGuarded(safe.rt, batch.rt) },
    "rt.instrumented": { unit: batch.instrumented, async: true, fn: () => roundTripsInstrumented(instrumented, batch.instrumented) },
    "poll.raw": { unit: batch.poll, async: false, fn: () => pollsRaw(polled.pull, batch.poll) },
    "poll.guarded": { unit: batch.poll, async: false, fn: () => pollsGuarded(safe.polled.pull, batch.poll) },
    "loop.raw": { unit: batch.loop, async: true, fn: () => pollerLoopRaw(polled, batch.loop) },
    "loop.guarded": { unit: batch.loop, async: true, fn: () => pollerLoopGuarded(safe.polled, batch.loop) },
  };
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  /** @type {Record<string, string>} */
  const notes = {};
  const t = config.timing;
  for (let round = 0; round < t.rounds; round++) {
    const bench = new Bench({ time: t.timeMs, iterations: t.iterations, warmup: round === 0, warmupTime: t.warmupMs, warmupIterations: 4, retainSamples: true, throws: true });
    for (const name of rotate(Object.keys(tasks), config.round + round)) {
      const task = tasks[name];
      if (task !== undefined) bench.add(name, task.async ? async () => { await task.fn(); } : () => { task.fn(); }, { async: task.async });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state === "completed") samples[task.name]?.push(...(r.latency.samples ?? []));
      else notes[`error:${task.name}`] = r.state === "errored" ? String(r.error) : r.state;
    }
  }
  /** @type {Record<string, number>} */
  const metrics = {};
  for (const [name, values] of Object.entries(samples)) {
    const task = tasks[name];
    if (task !== undefined && values.length > 0) metrics[name] = (median(values) * 1e6) / task.unit; // ms per batch -> ns per op
    metrics[`samples:${name}`] = values.length;
  }
  if (context.violations.length > 0) notes["error:guarded"] = `violations: ${context.violations.map((/** @type {any} */ v) => v.rule).join(", ")}`;
  if (run.violations.length > 0) notes["error:instrumented"] = `violations: ${run.violations.map((/** @type {any} */ v) => v.rule).join(", ")}`;
  for (const s of [rt, polled, instrumented]) {
    s.push.close();
    s.pull.close();
  }
  run.dispose();
  run.module.__zmqInterleave.end(run);
  return { metrics, notes };
}

/* The bodies below are the same for raw, guarded and instrumented sockets, on purpose. */

async function roundTripsRaw(/** @type {Pair} */ p, /** @type {number} */ n) {
  for (let i = 0; i < n; i++) {
    await p.push.send(message);
    await p.pull.receive();
  }
}

async function roundTripsGuarded(/** @type {Pair} */ p, /** @type {number} */ n) {
  for (let i = 0; i < n; i++) {
    await p.push.send(message);
    await p.pull.receive();
  }
}

async function roundTripsInstrumented(/** @type {Pair} */ p, /** @type {number} */ n) {
  for (let i = 0; i < n; i++) {
    await p.push.send(message);
    await p.pull.receive();
  }
}

function pollsRaw(/** @type {any} */ pull, /** @type {number} */ n) {
  let readable = 0;
  for (let i = 0; i < n; i++) if (pull.readable) readable++;
  if (readable !== 0) throw new Error(`readable ${readable} times with nothing sent`);
}

function pollsGuarded(/** @type {any} */ pull, /** @type {number} */ n) {
  let readable = 0;
  for (let i = 0; i < n; i++) if (pull.readable) readable++;
  if (readable !== 0) throw new Error(`readable ${readable} times with nothing sent`);
}

// inproc delivers before send resolves, so each message is read in its own iteration; any straggler is drained.
async function pollerLoopRaw(/** @type {Pair} */ p, /** @type {number} */ n) {
  let received = 0;
  for (let i = 0; i < n; i++) {
    await p.push.send(message);
    while (p.pull.readable) {
      await p.pull.receive();
      received++;
    }
  }
  for (; received < n; received++) await p.pull.receive();
}

async function pollerLoopGuarded(/** @type {Pair} */ p, /** @type {number} */ n) {
  let received = 0;
  for (let i = 0; i < n; i++) {
    await p.push.send(message);
    while (p.pull.readable) {
      await p.pull.receive();
      received++;
    }
  }
  for (; received < n; received++) await p.pull.receive();
}

// In a task, the guard's task lookup (AsyncLocalStorage) is live, as in code that uses tasks.
const context = kit.createGuardContext();
const result = config.inTask ? await context.task("bench", () => measure(context)) : await measure(context);
emitResult(result.metrics, result.notes);
