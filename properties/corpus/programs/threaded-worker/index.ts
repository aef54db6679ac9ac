/**
 * A processor that farms characters out to worker threads over inproc.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/threaded-worker/processor.ts,
 * threaded-worker.ts and index.ts.
 *
 * Concurrency kept: the main thread binds a PUSH (work), a PULL (results) and a PUBLISHER (stop
 * signal) on inproc endpoints shared with `worker_threads` Workers (caesar-worker.mjs). Each worker
 * has two loops: one over its work PULL that sends each result on its PUSH, one over its signal
 * SUBSCRIBER whose stop handler closes the worker's three sockets. The main thread sends the work
 * one message at a time, collects results with a `for await` loop it leaves with `break`, then
 * publishes "stop" until every worker has exited (the slow-joiner-proof stop: a repeated signal
 * instead of the example's 100 ms sleep), and closes its own sockets last.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { Publisher, Pull, Push } from "zeromq";

export interface ThreadedWorkerOptions {
  /** Text to shift. Default "Hello, threads!". */
  readonly text?: string;
  /** Worker threads. Default 2. */
  readonly threads?: number;
  /** Caesar shift. Default 13. */
  readonly shift?: number;
}

export interface ThreadedWorkerResult {
  /** The shifted text. */
  readonly output: string;
  /** Workers that exited with code 0. */
  readonly exited: number;
  /** Characters processed, summed over the workers (equals the text's length). */
  readonly processed: number;
}

const WORKER_FILE = new URL("./caesar-worker.mjs", import.meta.url);

function exitOf(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", resolve);
  });
}

export async function run(options: ThreadedWorkerOptions = {}): Promise<ThreadedWorkerResult> {
  const text = options.text ?? "Hello, threads!";
  const threads = options.threads ?? 2;
  const id = randomUUID();
  const addresses = { input: `inproc://corpus-${id}-input`, output: `inproc://corpus-${id}-output`, signal: `inproc://corpus-${id}-signal` };

  const input = new Push();
  const output = new Pull();
  const signal = new Publisher();
  await Promise.all([input.bind(addresses.input), output.bind(addresses.output), signal.bind(addresses.signal)]);

  const workers = Array.from({ length: threads }, () => new Worker(WORKER_FILE, { workerData: { ...addresses, shift: options.shift ?? 13 } }));
  let running = workers.length;
  const exits = Promise.all(
    workers.map(async (w) => {
      const code = await exitOf(w);
      running--;
      return code;
    }),
  );

  // Every worker announces itself once connected; then the PUSH spreads work over all of them.
  let ready = 0;
  while (ready < threads) {
    const [kind] = await output.receive();
    if (String(kind) === "ready") ready++;
  }

  const chars = [...text];
  for (const [pos, char] of chars.entries()) await input.send([String(pos), char]);

  const shifted: (string | undefined)[] = Array.from({ length: chars.length });
  let processed = 0;
  for await (const [pos, res] of output) {
    shifted[Number(String(pos))] = String(res);
    processed++;
    if (shifted.every((c) => c !== undefined)) break;
  }

  while (running > 0) {
    await signal.send("stop");
    await sleep(2);
  }
  const codes = await exits;

  input.close();
  output.close();
  signal.close();
  return { output: shifted.join(""), exited: codes.filter((c) => c === 0).length, processed };
}
