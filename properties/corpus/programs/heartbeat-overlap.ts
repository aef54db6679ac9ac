/**
 * BUGGY: a worker's heartbeat timer sends on the DEALER while a reply's send is still pending.
 *
 * Follows https://github.com/edgracilla/zeromq-mdp-nodejs, src/worker/index.ts: `heartbeat()`,
 * run by `setInterval`, does `await this.socket.send([... HEARTBEAT])` on the same DEALER on which
 * the request path does `await this.socket.send([... REPLY ...])`; and the slow broker of
 * https://github.com/xieyuheng/zeromq-messaging-patterns, src/mydemo/Broker.ts (ROUTERs with a
 * high-water mark of 1).
 *
 * Concurrency kept: the worker is a DEALER (send high-water mark 1) with a `for await` loop that
 * answers each job and awaits the reply's send, and a `setInterval` beater that sends heartbeats
 * on the same socket; the heartbeat's failure is caught and recorded (as a logging `.catch`
 * would). The broker is a ROUTER (receive high-water mark 1) with one `for await` loop that hands
 * out a batch of jobs when the worker is ready and spends a few ms on each reply (a slow store).
 * Shutdown order: when the broker has every reply, the beater is cleared, then the worker's and
 * the broker's sockets are closed under their pending receives (the loops end).
 *
 * What goes wrong on the real binding, and when: while the broker is busy, the pipe from worker
 * to broker fills up (a high-water mark of 1 on each side), so a reply's send has to wait; a
 * heartbeat that fires then calls `send` while that send is pending, and zeromq.js throws EBUSY
 * ("Socket is busy writing"): the heartbeat is lost (in the followed program, whose `heartbeat()`
 * has no `.catch`, the rejection is unhandled and Node ends the process). When every send
 * completes at once (an idle broker), the same code runs without an error.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Dealer, Router } from "zeromq";

export interface HeartbeatOverlapOptions {
  /** Jobs in the batch. Default 6. */
  readonly jobs?: number;
  /** Beat period, ms. Default 2. */
  readonly beatMs?: number;
  /** Time the broker spends on each reply, ms. Default 6. */
  readonly storeMs?: number;
}

export interface HeartbeatOverlapResult {
  /** Replies the broker stored. */
  readonly stored: number;
  /** Error codes of the heartbeats that failed. */
  readonly heartbeatErrors: readonly string[];
}

class Worker {
  readonly socket = new Dealer({ sendHighWaterMark: 1 });
  readonly heartbeatErrors: string[] = [];
  private beater: NodeJS.Timeout | undefined;

  async start(address: string, beatMs: number): Promise<void> {
    this.socket.connect(address);
    await this.socket.send(["ready"]);
    this.beater = setInterval(() => {
      this.heartbeat().catch((err: unknown) => {
        this.heartbeatErrors.push(String((err as { code?: unknown }).code ?? err));
      });
    }, beatMs);
    for await (const [, job] of this.socket) {
      await this.socket.send(["reply", String(job)]);
    }
  }

  async heartbeat(): Promise<void> {
    // BUG: a second sender on the socket; a reply's send may be pending right now.
    await this.socket.send(["heartbeat"]);
  }

  stop(): void {
    clearInterval(this.beater);
    this.socket.close();
  }
}

export async function run(options: HeartbeatOverlapOptions = {}): Promise<HeartbeatOverlapResult> {
  const jobs = options.jobs ?? 6;
  const broker = new Router({ receiveHighWaterMark: 1 });
  await broker.bind(`inproc://corpus-${randomUUID()}`);

  let stored = 0;
  let allStored: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    allStored = resolve;
  });
  const brokering = (async () => {
    for await (const [peer, kind] of broker) {
      if (peer === undefined) continue;
      if (String(kind) === "ready") {
        for (let j = 0; j < jobs; j++) await broker.send([peer, "job", String(j)]);
      } else if (String(kind) === "reply") {
        await sleep(options.storeMs ?? 6);
        if (++stored === jobs) allStored();
      }
    }
  })();

  const worker = new Worker();
  const working = worker.start(broker.lastEndpoint as string, options.beatMs ?? 2);

  await done;
  worker.stop();
  await working;
  broker.close();
  await brokering;
  return { stored, heartbeatErrors: worker.heartbeatErrors };
}
