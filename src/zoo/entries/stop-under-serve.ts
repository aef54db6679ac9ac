import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { InterleavedContext } from "../../instrument/run.js";
import type { ZmqModule } from "../../instrument/instrument.js";
import { codeEntry } from "../code-entry.js";
import { size } from "../size.js";

/** A client that sends `requests` requests to `endpoint` and waits for each reply. */
async function client(z: ZmqModule, endpoint: string, requests: number): Promise<void> {
  const req = new z.Request({ linger: 0 });
  req.connect(endpoint);
  for (let i = 1; i <= requests; i++) {
    await req.send(`req ${i}`);
    await req.receive();
  }
  req.close();
}

/**
 * A server's `start()` binds and starts its serve loop fire-and-forget (`void serve()`), the
 * loop being `for (;;) { await rep.receive(); await rep.send(...) }`; `stop()` closes the
 * socket. The close rejects the loop's pending receive with EAGAIN; the loop awaited it, but
 * the rejection leaves `serve()` and rejects a promise nobody holds: Node 20 ends the process
 * on the unhandled rejection.
 */
async function voidServe({ zmq: z, task }: InterleavedContext, requests: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const rep = new z.Reply({ linger: 0 });
  await rep.bind(endpoint);
  const serve = async (): Promise<void> => {
    for (;;) {
      const [request] = await rep.receive();
      await rep.send(`ok ${String(request)}`);
    }
  };
  // BUG: started fire-and-forget; nothing observes how it ends.
  void task("server", serve);
  await client(z, endpoint, requests);
  rep.close(); // stop()
}

/** The fix: a `for await` loop ends when its socket closes, and `stop()` awaits the loop. */
async function awaitedServe({ zmq: z, task }: InterleavedContext, requests: number): Promise<void> {
  const endpoint = `inproc://zoo-${randomUUID()}`;
  const rep = new z.Reply({ linger: 0 });
  await rep.bind(endpoint);
  const serving = task("server", async () => {
    for await (const [request] of rep) await rep.send(`ok ${String(request)}`);
  });
  await client(z, endpoint, requests);
  rep.close(); // stop()
  await serving;
}

/** A stop handler closes the socket under a serve loop started with `void serve()`. */
export const stopUnderServe = codeEntry({
  name: "stop-under-serve",
  story: "`start()` runs `void serve()` (a `for (;;) await rep.receive()` loop) and `stop()` calls `rep.close()`: the receive's EAGAIN escapes `serve()` into a promise nobody holds, and Node 20 ends the process.",
  link: "https://nodejs.org/api/cli.html#--unhandled-rejectionsmode",
  finds: "instrumented module: the rejection the scheduler delivered to serve()'s receive comes back as an unhandled rejection, reported as unobserved-rejection",
  expected: ["unobserved-rejection"],
  // server: receive (pending); main: the client closes its Request, stop() closes the Reply.
  // The escaped rejection is the receive's own, not a new call.
  minimum: [size(1, 2, 2, 3)],
  shape: "0 requests: stop() closes the socket while serve() waits in receive()",
  input: fc.integer({ min: 0, max: 3 }),
  describeInput: (n) => `requests = ${n}`,
  code: voidServe,
  fixed: awaitedServe,
});
