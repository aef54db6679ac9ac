// @ts-check
/**
 * Child process of the kit-guard suite (bench/suites/kit-guard.ts). Plain JavaScript, run with
 * plain `node` (not tsx, whose transform distorts timings), measuring the compiled kit in
 * dist/ (the suite's `prepare` runs `npm run build` when it is stale).
 *
 * Every measured thing stays open for the whole process and tinybench runs many short rounds
 * over all of them in rotated order (as bench/xpub/measure.ts does), so a slow stretch of the
 * shared machine hits raw and guarded alike; a task's cost is the median of its samples over
 * every round, per op (bench/kit/rounds.mjs). Prints one result line in the rig's protocol.
 *
 * Tasks (ns per op, one op = one unit below):
 * - rt.raw / rt.guarded / rt.instrumented: `await push.send(m)` then `await pull.receive()`
 *   on an inproc Push→Pull pair: unguarded, guarded (a plain context), and from the
 *   instrumented module (its scheduler holds every completion for a quiet loop turn).
 * - poll.raw / poll.guarded: one `pull.readable` read, no receive in flight.
 * - loop.raw / loop.guarded: a poller-style round trip: `await push.send(m)`, then
 *   `while (pull.readable) await pull.receive()` (two reads, the second one after a receive).
 */
import * as zmq from "zeromq";
import * as kit from "../../dist/index.js";
import { emitFailure, emitResult, measureRounds, median, readConfig } from "../kit/rounds.mjs";

/**
 * @typedef {{ rounds: number, timeMs: number, iterations: number, warmupMs: number, warmupIterations: number }} Timing
 * @typedef {{ inTask: boolean, timing: Timing }} Config
 * @typedef {{ push: any, pull: any }} Pair
 */

/** @type {Config} */
const config = readConfig();
const message = Buffer.from("0123456789abcdef");
const batch = { rt: 100, poll: 1000, loop: 100, instrumented: 20 };

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
  const tasks = [
    { name: "rt.raw", unit: batch.rt, fn: async () => roundTripsRaw(rt, batch.rt) },
    { name: "rt.guarded", unit: batch.rt, fn: async () => roundTripsGuarded(safe.rt, batch.rt) },
    { name: "rt.instrumented", unit: batch.instrumented, fn: async () => roundTripsInstrumented(instrumented, batch.instrumented) },
    { name: "poll.raw", unit: batch.poll, fn: () => pollsRaw(polled.pull, batch.poll) },
    { name: "poll.guarded", unit: batch.poll, fn: () => pollsGuarded(safe.polled.pull, batch.poll) },
    { name: "loop.raw", unit: batch.loop, fn: async () => pollerLoopRaw(polled, batch.loop) },
    { name: "loop.guarded", unit: batch.loop, fn: async () => pollerLoopGuarded(safe.polled, batch.loop) },
  ];
  const samples = await measureRounds(tasks, config.timing);
  /** @type {Record<string, number>} */
  const metrics = {};
  /** @type {Record<string, string>} */
  const notes = {};
  for (const task of tasks) {
    const values = samples.get(task.name) ?? [];
    metrics[task.name] = (median(values) * 1e6) / task.unit; // ms per call -> ns per op
    metrics[`samples:${task.name}`] = values.length;
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

try {
  // In a task, the guard's task lookup (AsyncLocalStorage) is live, as in code that uses tasks.
  const context = kit.createGuardContext();
  const result = config.inTask ? await context.task("bench", () => measure(context)) : await measure(context);
  emitResult(result.metrics, result.notes);
} catch (err) {
  emitFailure(err);
}
