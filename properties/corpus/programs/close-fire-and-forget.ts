/**
 * BUGGY: a socket closed under a fire-and-forget operation whose rejection nobody holds.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/majordomo/index.ts and worker.ts: `main()`
 * starts the workers with `const _started = Promise.all([..., ...workers.map(w => w.start())])`
 * and never awaits or catches `_started`; a worker's `start()` begins with `await
 * this.socket.send([... READY ...])`; and `stop()` closes the worker's socket. The broker being
 * down follows https://github.com/edgracilla/zeromq-mdp-nodejs, src/worker/index.ts, whose
 * worker keeps its socket and its timer while it has no broker.
 *
 * Concurrency kept: a worker DEALER (`immediate: true`: no queueing to a peer that is not
 * connected) connects to a broker address where nothing listens; `start()` is run as a task
 * nobody awaits; after a short wait, `stop()` closes the socket. Shutdown order: the socket is
 * closed while the READY send is pending.
 *
 * What goes wrong on the real binding, and when: `close()` settles the pending send with an
 * EAGAIN rejection; it propagates out of `start()` into `_started`, which nobody holds, and
 * Node 20 ends the process on the unhandled rejection (exit code 1). It only happens when the
 * send is still pending at close (no broker yet); with a broker up, READY completes at once.
 * Never run this in a test runner's process: run it in a child process.
 */
import { createServer, type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Dealer } from "zeromq";

export interface CloseFireAndForgetResult {
  /** True when `stop()` returned (the process dies shortly after). */
  readonly stopped: boolean;
}

class Worker {
  readonly socket = new Dealer({ immediate: true });

  constructor(address: string) {
    this.socket.connect(address);
  }

  async start(): Promise<void> {
    await this.socket.send(["", "MDPW01", "\x01", "echo"]);
    for await (const [request] of this.socket) await this.socket.send(["", "MDPW01", "\x03", String(request)]);
  }

  stop(): void {
    if (!this.socket.closed) this.socket.close();
  }
}

/** An address where nothing listens: a port taken from the OS, then released. */
async function vacantAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `tcp://127.0.0.1:${port}`;
}

export async function run(): Promise<CloseFireAndForgetResult> {
  const worker = new Worker(await vacantAddress());
  // BUG: started and forgotten; a rejection of `start()` reaches no one.
  const _started = Promise.all([worker.start()]);
  void _started;
  await sleep(10);
  worker.stop();
  return { stopped: true };
}
