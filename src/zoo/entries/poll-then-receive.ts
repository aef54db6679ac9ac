import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InterleavedContext } from "../../instrument/run.js";
import type { ZmqModule } from "../../instrument/instrument.js";
import { codeEntry } from "../code-entry.js";
import { size } from "../size.js";

/** A job queue (Pull) with `jobs` jobs waiting, and a broker (Router) the workers report to. */
async function open(z: ZmqModule, jobs: number) {
  const queue = `inproc://zoo-${randomUUID()}`;
  const broker = `inproc://zoo-${randomUUID()}`;
  const pull = new z.Pull({ linger: 0 });
  await pull.bind(queue);
  const push = new z.Push({ linger: 0 });
  push.connect(queue);
  const router = new z.Router({ linger: 0 });
  await router.bind(broker);
  for (let i = 1; i <= jobs; i++) await push.send(`job ${i}`);
  return { pull, broker };
}

/**
 * Two worker tasks share the job queue, poller style: each checks `pull.readable`, tells the
 * broker it is taking a job, then receives. Check-then-act: between one worker's check and its
 * receive, the other worker may check too (both saw the one job) and receive first: the second
 * receive waits forever for a job that is gone (stuck). The workers are started
 * the way a poll timer starts them (`setInterval(() => void work(), ...)`): nobody awaits them,
 * and the service keeps its sockets open.
 */
export async function checkThenTake({ zmq: z, task }: InterleavedContext, jobs: number): Promise<void> {
  const { pull, broker } = await open(z, jobs);
  const work = async (name: string): Promise<void> => {
    const dealer = new z.Dealer({ linger: 0, routingId: name });
    dealer.connect(broker);
    // BUG: the check and the receive are not one step; the other worker runs in between.
    if (pull.readable) {
      await dealer.send("taking a job");
      const [job] = await pull.receive();
      await dealer.send(`done ${String(job)}`);
    }
    dealer.close();
  };
  void task("worker-1", () => work("worker-1"));
  void task("worker-2", () => work("worker-2"));
}

/**
 * The fix: one task owns the queue's receiving side; it checks and receives in one step and
 * hands each job to a worker (the workers never touch the Pull socket).
 */
async function dispatcher({ zmq: z, task }: InterleavedContext, jobs: number): Promise<void> {
  const { pull, broker } = await open(z, jobs);
  const workers = ["worker-1", "worker-2"].map((name) => {
    const dealer = new z.Dealer({ linger: 0, routingId: name });
    dealer.connect(broker);
    return { name, dealer };
  });
  void task("dispatcher", async () => {
    for (let i = 0; pull.readable; i++) {
      const [job] = await pull.receive();
      const w = workers[i % workers.length];
      if (w === undefined) continue;
      await task(w.name, async () => {
        await w.dealer.send("taking a job");
        await w.dealer.send(`done ${String(job)}`);
      });
    }
    for (const w of workers) w.dealer.close();
  });
}

/** Two tasks run `if (sock.readable) await sock.receive()` with an await in between. */
export const pollThenReceive = codeEntry({
  name: "poll-then-receive",
  story: "Two worker tasks each run `if (jobs.readable) { await broker.send(...); await jobs.receive() }` on one job queue: both see the one job, one receive overlaps the other or waits forever.",
  link: "https://github.com/zeromq/zeromq.js/issues/706",
  finds: "guarded Pull: both workers read readable before either receives (each send to the broker completes at once, so both run their check in the same turn); worker-1 takes the job at once and worker-2's receive waits forever for a job that is gone (stuck)",
  expected: ["stuck"],
  // main: send the job; each worker: readable, send to the broker, receive; worker-1 then reports and closes its dealer.
  minimum: [size(1, 3, 4, 9)],
  shape: "1 job: both workers see readable and announce; worker-1 takes the job, worker-2's receive waits forever",
  input: fc.integer({ min: 0, max: 3 }),
  describeInput: (n) => `jobs = ${n}`,
  code: checkThenTake,
  fixed: dispatcher,
});
