import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InterleavedContext } from "../../instrument/run.js";
import { codeEntry } from "../code-entry.js";
import { size } from "../size.js";

/**
 * A consumer takes jobs with a `for await` loop; a graceful stop drains what is left with
 * `while (pull.readable) await pull.receive()` before closing, so no job is lost. But the
 * loop's receive is pending while `stop()` reads `readable`: reading the getter takes the
 * socket's edge-triggered wakeup (ZMQ_EVENTS), so that pending receive may never resolve even
 * when a job arrives (and a receive from the drain would overlap it, EBUSY).
 */
async function drainInStop({ zmq: z, task }: InterleavedContext, jobs: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const pull = new z.Pull({ linger: 0 });
  await pull.bind(endpoint);
  const push = new z.Push({ linger: 0 });
  push.connect(endpoint);
  const done: string[] = [];
  const consuming = task("consumer", async () => {
    for await (const [job] of pull) done.push(String(job));
  });
  for (let i = 1; i <= jobs; i++) await push.send(`job ${i}`);
  // stop(): BUG, the consumer's receive is still pending while the drain reads `readable`.
  while (pull.readable) done.push(String(await pull.receive()));
  pull.close();
  await consuming;
  push.close();
}

/** The fix: the consumer loop itself stops at a "stop" message after the jobs; nothing else touches the socket. */
async function stopMessage({ zmq: z, task }: InterleavedContext, jobs: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const pull = new z.Pull({ linger: 0 });
  await pull.bind(endpoint);
  const push = new z.Push({ linger: 0 });
  push.connect(endpoint);
  const done: string[] = [];
  const consuming = task("consumer", async () => {
    for await (const [job] of pull) {
      if (String(job) === "stop") break;
      done.push(String(job));
    }
  });
  for (let i = 1; i <= jobs; i++) await push.send(`job ${i}`);
  await push.send("stop");
  await consuming;
  pull.close();
  push.close();
}

/** Reading `readable` while a receive is pending. */
export const drainWhileReceiving = codeEntry({
  name: "drain-while-receiving",
  story: "A graceful stop drains with `while (pull.readable) await pull.receive()` while the consumer's `for await` loop still has a receive pending: the getter takes the pending receive's wakeup.",
  link: "http://api.zeromq.org/4-3:zmq-getsockopt (ZMQ_FD/ZMQ_EVENTS are edge-triggered)",
  finds: "guarded Pull: the `readable` read while the consumer's receive is pending is refused as lost-wakeup",
  expected: ["lost-wakeup"],
  // consumer: receive (pending); main: readable (refused). No job is needed.
  minimum: [size(1, 2, 1, 2)],
  shape: "0 jobs: stop() reads readable while the consumer's receive waits",
  input: fc.integer({ min: 0, max: 4 }),
  describeInput: (n) => `jobs = ${n}`,
  code: drainInStop,
  fixed: stopMessage,
});
