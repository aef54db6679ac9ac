import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InterleavedContext } from "../../instrument/run.js";
import { codeEntry } from "../code-entry.js";
import { size } from "../size.js";

/**
 * A job queue: a producer pushes requests, two request handlers take them from one shared
 * Pull socket, each looping on `await pull.receive()`. zeromq.js allows one receive in flight
 * per socket, so the second handler's receive throws EBUSY "Socket is busy reading"
 * (zeromq.js#706). Fix: one receiving loop hands requests to the handlers.
 */
async function twoHandlers({ zmq: z, task }: InterleavedContext, requests: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const pull = new z.Pull({ linger: 0 });
  await pull.bind(endpoint);
  const push = new z.Push({ linger: 0 });
  push.connect(endpoint);
  let left = requests;
  const handled: string[] = [];
  // BUG: both handlers receive on the same socket.
  const handler = async (): Promise<void> => {
    while (left > 0) {
      const [request] = await pull.receive();
      left--;
      handled.push(String(request));
    }
  };
  const handlers = [task("handler-1", handler), task("handler-2", handler)];
  for (let i = 1; i <= requests; i++) await push.send(`req ${i}`);
  await Promise.all(handlers);
  push.close();
  pull.close();
}

/** The fix: one loop receives; the two handlers get the requests from it. */
async function oneReceiver({ zmq: z, task }: InterleavedContext, requests: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const pull = new z.Pull({ linger: 0 });
  await pull.bind(endpoint);
  const push = new z.Push({ linger: 0 });
  push.connect(endpoint);
  const handled: string[] = [];
  const handle = (name: string, request: string): Promise<void> => task(name, async () => void handled.push(request));
  const receiving = task("receiver", async () => {
    for (let i = 0; i < requests; i++) {
      const [request] = await pull.receive();
      await handle(i % 2 === 0 ? "handler-1" : "handler-2", String(request));
    }
  });
  for (let i = 1; i <= requests; i++) await push.send(`req ${i}`);
  await receiving;
  push.close();
  pull.close();
}

/** zeromq.js#706: two request handlers call `receive()` on one Pull. */
export const twoHandlersOnePull = codeEntry({
  name: "two-handlers-one-pull",
  story: "Two request handlers each loop on `await pull.receive()` on one shared Pull socket (\"Socket is busy reading\").",
  link: "https://github.com/zeromq/zeromq.js/issues/706",
  finds: "guarded Pull: the second receive while the first is pending is refused as busy-recv",
  expected: ["busy-recv"],
  // handler-1: receive (pending), handler-2: receive (refused); one request is enough.
  minimum: [size(1, 2, 1, 2)],
  shape: "1 request: handler-1's receive is pending when handler-2 calls receive",
  input: fc.integer({ min: 0, max: 4 }),
  describeInput: (n) => `requests = ${n}`,
  code: twoHandlers,
  fixed: oneReceiver,
});
