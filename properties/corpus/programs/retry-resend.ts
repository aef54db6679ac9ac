/**
 * BUGGY: a retry timer re-sends a request while the first send of it may still be pending.
 *
 * Follows https://github.com/xieyuheng/zeromq-messaging-patterns, src/pirate-lazy/startClient.ts
 * (a DEALER client that re-sends its request on the same socket when no reply came in time) and
 * src/pirate-lazy/startServer.ts (a server that is sometimes too busy to read), with the retry
 * driven by a timer armed when the request starts, as request helpers with a timeout often do.
 *
 * Concurrency kept: the client is a DEALER (send high-water mark 1) with a `for await` reader
 * that settles replies by id, and a request function that arms a `setInterval` retry timer and
 * then awaits the request's first send; each timer tick re-sends the request on the same socket
 * from its own task (failures are caught and recorded). Before the request the client sends a few
 * notices. The server is a ROUTER (receive high-water mark 1) that starts reading only after a
 * slow start-up, then answers every request at once. Shutdown order: when the reply is in, the
 * timer is cleared, then the client's and the server's sockets are closed under their pending
 * receives (both loops end).
 *
 * What goes wrong on the real binding, and when: while the server is still starting up, the
 * client's pipe is at its high-water mark, so the request's first send has to wait; a retry tick
 * that fires then calls `send` while that send is pending and zeromq.js throws EBUSY ("Socket is
 * busy writing"). When the first send completes at once (a server already reading) no tick finds
 * it pending, and the only effect of the timer is a duplicate request now and then. Whether the
 * tick comes first depends only on timers: the order needs virtual time to be replayed.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Dealer, Router, type MessageLike } from "zeromq";

export interface RetryResendOptions {
  /** Notices sent before the request (two fill the pipe). Default 2. */
  readonly notices?: number;
  /** Retry period, ms. Default 3. */
  readonly retryMs?: number;
  /** Server start-up time before it reads, ms. Default 15. */
  readonly startupMs?: number;
}

export interface RetryResendResult {
  /** The reply to the request. */
  readonly reply: string;
  /** Error codes of the retries that failed. */
  readonly retryErrors: readonly string[];
}

class Client {
  readonly socket = new Dealer({ sendHighWaterMark: 1 });
  readonly retryErrors: string[] = [];
  private readonly waiting = new Map<string, (reply: string) => void>();
  readonly reading: Promise<void>;

  constructor(address: string) {
    this.socket.connect(address);
    this.reading = this.read();
  }

  async notify(text: string): Promise<void> {
    await this.socket.send(["notice", text]);
  }

  async request(body: string, retryMs: number): Promise<string> {
    const id = randomUUID();
    const frames: MessageLike[] = ["request", id, body];
    const reply = new Promise<string>((resolve) => this.waiting.set(id, resolve));
    // BUG: the retry timer runs while the first send below may still be pending.
    const retry = setInterval(() => void this.resend(frames), retryMs);
    try {
      await this.socket.send(frames);
      return await reply;
    } finally {
      clearInterval(retry);
    }
  }

  private async resend(frames: MessageLike[]): Promise<void> {
    try {
      await this.socket.send(frames);
    } catch (err) {
      this.retryErrors.push(String((err as { code?: unknown }).code ?? err));
    }
  }

  private async read(): Promise<void> {
    for await (const [id, reply] of this.socket) {
      const settle = this.waiting.get(String(id));
      this.waiting.delete(String(id));
      settle?.(String(reply));
    }
  }
}

async function serve(server: Router, startupMs: number): Promise<void> {
  await sleep(startupMs);
  for await (const [peer, kind, id, body] of server) {
    // A duplicate that arrived just before `close()` is handed to the pending receive by the
    // close itself; the socket is closed by then.
    if (server.closed) break;
    if (peer === undefined || String(kind) !== "request" || id === undefined) continue;
    await server.send([peer, id, `ok ${String(body)}`]);
  }
}

export async function run(options: RetryResendOptions = {}): Promise<RetryResendResult> {
  const server = new Router({ receiveHighWaterMark: 1 });
  await server.bind(`inproc://corpus-${randomUUID()}`);
  const serving = serve(server, options.startupMs ?? 15);

  const client = new Client(server.lastEndpoint as string);
  for (let n = 0; n < (options.notices ?? 2); n++) await client.notify(`notice ${n}`);
  const reply = await client.request("job", options.retryMs ?? 3);

  client.socket.close();
  await client.reading;
  server.close();
  await serving;
  return { reply, retryErrors: client.retryErrors };
}
