/**
 * A `for await` server stopped from a signal handler.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/threaded-worker/threaded-worker.ts (a
 * stop handler closes the sockets and the `for await` loops end) and
 * https://github.com/edgracilla/zeromq-mdp-nodejs, src/broker/index.ts (`anchorExits`: SIGINT /
 * SIGTERM handlers that close the broker's socket under its `for await` loop).
 *
 * Concurrency kept: the service is a ROUTER with one `for await` loop that handles a request (a
 * short sleep) and awaits its reply's send. A stop handler registered on a signal emitter (the
 * program's stand-in for `process.on("SIGTERM")`) waits for the request in hand, if any, and
 * closes the socket; the loop's pending receive then ends the loop. The client is a DEALER task
 * that sends every request, reads the replies with `for await`, raises the signal when it has them
 * all, and closes its socket.
 */
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Dealer, Router } from "zeromq";

export interface GracefulShutdownOptions {
  /** Requests the client sends. Default 4. */
  readonly requests?: number;
}

export interface GracefulShutdownResult {
  /** The replies, sorted. */
  readonly replies: readonly string[];
  /** Requests the service handled before it stopped. */
  readonly handled: number;
  /** True once the service's loop has ended. */
  readonly stopped: boolean;
}

class Service {
  readonly socket = new Router();
  handled = 0;
  stopped = false;
  private current: Promise<void> = Promise.resolve();

  async listen(): Promise<void> {
    for await (const [peer, body] of this.socket) {
      if (peer === undefined || body === undefined) continue;
      this.current = this.handle(peer, body);
      await this.current;
    }
    this.stopped = true;
  }

  /** The stop handler: finish the request in hand, then close; the loop ends by itself. */
  async stop(): Promise<void> {
    await this.current;
    this.socket.close();
  }

  private async handle(peer: Buffer, body: Buffer): Promise<void> {
    await sleep(1);
    await this.socket.send([peer, `done: ${String(body)}`]);
    this.handled++;
  }
}

export async function run(options: GracefulShutdownOptions = {}): Promise<GracefulShutdownResult> {
  const requests = options.requests ?? 4;
  const signals = new EventEmitter();

  const service = new Service();
  await service.socket.bind(`inproc://corpus-${randomUUID()}`);
  const stopping = new Promise<void>((resolve, reject) => {
    signals.once("SIGTERM", () => {
      service.stop().then(resolve, reject);
    });
  });
  const listening = service.listen();

  const client = new Dealer();
  client.connect(service.socket.lastEndpoint as string);
  for (let i = 0; i < requests; i++) await client.send(`job ${i}`);
  const replies: string[] = [];
  for await (const [reply] of client) {
    replies.push(String(reply));
    if (replies.length === requests) break;
  }
  signals.emit("SIGTERM");
  client.close();

  await Promise.all([stopping, listening]);
  return { replies: replies.sort(), handled: service.handled, stopped: service.stopped };
}
