import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InterleavedContext } from "../../instrument/run.js";
import { codeEntry } from "../code-entry.js";
import { size } from "../size.js";

/** A Reply server that acknowledges every request, as a task of its own. */
async function startServer({ zmq: z, task }: InterleavedContext, endpoint: string) {
  const rep = new z.Reply({ linger: 0 });
  await rep.bind(endpoint);
  const serving = task("server", async () => {
    for await (const [msg] of rep) await rep.send(`ACK ${String(msg)}`);
  });
  return { rep, serving };
}

/**
 * The client of zeromq.js#426: `sentences.forEach(async (s) => { await req.send(s); await
 * req.receive(); })`. `forEach` does not wait for an async callback, so every callback's send
 * starts at once on the one Request socket; the second throws EBUSY "Socket is busy writing".
 */
async function forEachClient(c: InterleavedContext, sentences: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const { rep, serving } = await startServer(c, endpoint);
  const req = new c.zmq.Request({ linger: 0 });
  req.connect(endpoint);
  const list = Array.from({ length: sentences }, (_, i) => `sentence ${i + 1}`);
  await new Promise<void>((resolve, reject) => {
    let acked = 0;
    if (list.length === 0) resolve();
    // BUG: forEach starts every async callback at once.
    list.forEach(async (sentence) => {
      try {
        await req.send(sentence);
        await req.receive();
        if (++acked === list.length) resolve();
      } catch (err) {
        reject(err as Error);
      }
    });
  });
  req.close();
  rep.close();
  await serving;
}

/** The fix: a `for ... of` loop awaits each request's reply before the next send. */
async function forOfClient(c: InterleavedContext, sentences: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const { rep, serving } = await startServer(c, endpoint);
  const req = new c.zmq.Request({ linger: 0 });
  req.connect(endpoint);
  for (let i = 1; i <= sentences; i++) {
    await req.send(`sentence ${i}`);
    await req.receive();
  }
  req.close();
  rep.close();
  await serving;
}

/** zeromq.js#426: `forEach(async ...)` sends on one Request socket. */
export const foreachAsyncRequest = codeEntry({
  name: "foreach-async-request",
  story: "A client sends each sentence with `sentences.forEach(async (s) => { await req.send(s); await req.receive() })` on one Request socket (EBUSY).",
  link: "https://github.com/zeromq/zeromq.js/issues/426",
  finds: "guarded Request: a Request socket cannot send twice before a reply, so the second callback's send waits; the third callback's send overlaps it and is refused as busy-send",
  expected: ["busy-send"],
  // server: receive (pending, for await); callbacks: send "sentence 1" (at once), send "sentence 2" (waits), send "sentence 3" (refused).
  minimum: [size(1, 4, 2, 4)],
  shape: "3 sentences: the second callback's send waits for the first reply, the third overlaps it",
  input: fc.integer({ min: 0, max: 4 }),
  describeInput: (n) => `sentences = ${n}`,
  code: forEachClient,
  fixed: forOfClient,
});
