import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InterleavedContext } from "../../instrument/run.js";
import { codeEntry } from "../code-entry.js";
import { size } from "../size.js";

/** An XPUB that publishes prices, and a subscriber that asks for them. */
async function open({ zmq: z }: InterleavedContext) {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const xpub = new z.XPublisher({ linger: 0 });
  await xpub.bind(endpoint);
  const sub = new z.Subscriber({ linger: 0 });
  sub.connect(endpoint);
  sub.subscribe("ACME");
  return { xpub, sub };
}

/**
 * The seed's pattern (pyzmq#2043, see /work/shared/seed): the main flow publishes on an XPUB
 * while a second task reads its subscription events. With one thread and thread ownership this
 * is legal in zeromq.js (one send and one receive may be in flight together); across threads
 * it corrupts libzmq (the seed's crash), and under the strict task discipline (`ownership:
 * "task"`) it is the same mistake inside one thread: two owners of one socket.
 */
async function readerTask(c: InterleavedContext, prices: number): Promise<void> {
  const { xpub, sub } = await open(c);
  const topics = new Set<string>();
  // BUG (under task ownership): the subscription reader is a second task on the publisher's socket.
  const reading = c.task("subscriptions", async () => {
    for await (const [event] of xpub) {
      if (event === undefined) continue;
      if (event[0] === 1) topics.add(event.subarray(1).toString());
      else topics.delete(event.subarray(1).toString());
    }
  });
  for (let i = 1; i <= prices; i++) await xpub.send(["ACME", String(100 + i)]);
  xpub.close();
  await reading;
  sub.close();
}

/**
 * The fix: one owner. The publisher reads subscription events itself, poller style: between
 * sends it checks `readable` and receives while it is true, so no receive is ever pending
 * while `readable` is read (the bench's pattern B).
 */
async function poller(c: InterleavedContext, prices: number): Promise<void> {
  const { xpub, sub } = await open(c);
  const topics = new Set<string>();
  for (let i = 1; i <= prices; i++) {
    while (xpub.readable) {
      const [event] = await xpub.receive();
      if (event !== undefined && event[0] === 1) topics.add(event.subarray(1).toString());
    }
    await xpub.send(["ACME", String(100 + i)]);
  }
  xpub.close();
  sub.close();
}

/** The seed's XPUB pattern under the strict task discipline. */
export const xpubReaderTask = codeEntry({
  name: "xpub-reader-task",
  story: "An XPUB publishes from the main flow while a second task reads its subscription events (the seed's pattern): legal in one thread with thread ownership, a second owner under task ownership.",
  link: "https://github.com/zeromq/pyzmq/issues/2043",
  finds: "guarded XPUB with ownership \"task\": the reader task's first receive is refused as foreign-owner (with ownership \"thread\" the same code passes)",
  expected: ["foreign-owner"],
  // main: subscribe on its SUB; the reader task: receive on the XPUB (refused). No price is needed.
  minimum: [size(1, 2, 2, 2)],
  shape: "0 prices: the subscriptions task's first receive on the XPUB that main/t0 owns",
  input: fc.integer({ min: 0, max: 4 }),
  describeInput: (n) => `prices = ${n}`,
  code: readerTask,
  fixed: poller,
  ownership: "task",
});
