import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { spinUntilReadable } from "./links.js";

// Whether a receive over tcp finds its message at once (R25 in docs/binding-timing.md). libzmq's
// I/O thread moves a message from the socket's connection into its queue in its own time, so
// the same program's receive completes inside the call in one run and waits in another. Only a
// `readable` that reads true says the message is there.

/** Settled already when the call returned (a reaction queued now runs before one queued after it)? */
function atOnce(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), Promise.resolve().then(() => false)]);
}

/** A ROUTER bound over tcp and four DEALERs connected to it, each joined (a message of each received). */
async function broker(): Promise<{ router: zmq.Router; dealers: zmq.Dealer[]; close: () => void }> {
  const router = new zmq.Router({ linger: 0 });
  await router.bind("tcp://127.0.0.1:*");
  const dealers = Array.from({ length: 4 }, (_, i) => new zmq.Dealer({ linger: 0, routingId: `d${i}` }));
  for (const d of dealers) d.connect(router.lastEndpoint ?? "");
  for (const d of dealers) {
    await d.send("hello");
    await router.receive();
  }
  return { router, dealers, close: () => [router, ...dealers].forEach((s) => s.close()) };
}

describe("a receive over tcp completes at once or waits, by the network's timing (zeromq.js 6.8.0)", () => {
  it("25. four DEALERs each send a job in one block; a turn later the ROUTER receives the four in a loop (majordomo's broker): one and the same receive completed at once in some trials and waited in others (200 trials)", async () => {
    const { router, dealers, close } = await broker();
    try {
      const counts = Array.from({ length: 4 }, () => ({ atOnce: 0, waited: 0 }));
      for (let t = 0; t < 200; t++) {
        for (const d of dealers) await d.send("job");
        await new Promise((resolve) => setImmediate(resolve));
        for (const c of counts) {
          const p = router.receive();
          if (await atOnce(p)) c.atOnce++;
          else c.waited++;
          await p;
        }
      }
      console.log("25", counts);
      // Some receive is at once in some trials and waits in others, in one and the same program.
      expect(counts.filter((c) => c.atOnce > 0 && c.waited > 0).length).toBeGreaterThan(0);
      expect(counts.reduce((n, c) => n + c.atOnce + c.waited, 0)).toBe(800);
    } finally {
      close();
    }
  }, 60_000);

  it("25. a receive issued once `readable` read true completes at once (200 trials)", async () => {
    const { router, dealers, close } = await broker();
    try {
      let at = 0;
      for (let t = 0; t < 200; t++) {
        await dealers[t % 4]?.send("job");
        spinUntilReadable(router);
        const p = router.receive();
        if (await atOnce(p)) at++;
        await p;
      }
      expect(at).toBe(200);
    } finally {
      close();
    }
  }, 60_000);
});
