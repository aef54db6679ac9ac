/**
 * BUGGY: two reader loops on one socket, because each registered handler starts its own.
 *
 * Follows https://github.com/microsoft/vscode-jupyter, src/kernels/raw/session/rawSocket.node.ts:
 * `generateChannel` starts `processSocketMessages(channel, socket)` (a `for await` reader) for
 * each socket it makes and `.catch`es its failure into a log. Seeded here: a channel wrapper whose
 * `onMessage(handler)` starts that reader every time a handler is added (a logger and the
 * dispatcher), instead of once, the way a wrapper grows when a second consumer is bolted on.
 *
 * Concurrency kept: the client's DEALER gets one `for await` reader per registered handler, each
 * started as its own task whose failure is caught and recorded; the client sends its requests
 * one after the other and waits for each reply. The server is a ROUTER with one loop that answers
 * at once. Shutdown order: when every reply is in, the client's socket is closed (the surviving
 * reader ends), then the server's (its loop ends).
 *
 * What goes wrong on the real binding, and when: the second reader's first `receive()` is called
 * while the first reader's receive is pending, and zeromq.js throws EBUSY ("Socket is busy
 * reading"); that reader dies (its error only logged) and its handler never sees a message. If a
 * message were already queued when the second reader starts, the first receive would complete at
 * once and the two readers would split the messages between them instead.
 */
import { randomUUID } from "node:crypto";
import { Dealer, Router } from "zeromq";

export interface TwoReadersOptions {
  /** Requests, one after the other. Default 3. */
  readonly requests?: number;
}

export interface TwoReadersResult {
  /** The replies the dispatcher saw, in order. */
  readonly replies: readonly string[];
  /** Messages the logger saw. */
  readonly logged: number;
  /** Error codes of the readers that died. */
  readonly readerErrors: readonly string[];
}

type Handler = (frames: Buffer[]) => void;

class Channel {
  readonly socket = new Dealer();
  readonly readerErrors: string[] = [];
  private readonly handlers: Handler[] = [];
  private readonly readers: Promise<void>[] = [];

  constructor(address: string) {
    this.socket.connect(address);
  }

  onMessage(handler: Handler): void {
    this.handlers.push(handler);
    // BUG: a reader per handler; the socket already has one after the first call.
    this.readers.push(
      this.processSocketMessages(handler).catch((err: unknown) => {
        this.readerErrors.push(String((err as { code?: unknown }).code ?? err));
      }),
    );
  }

  async close(): Promise<void> {
    this.socket.close();
    await Promise.all(this.readers);
  }

  private async processSocketMessages(handler: Handler): Promise<void> {
    for await (const frames of this.socket) handler(frames);
  }
}

export async function run(options: TwoReadersOptions = {}): Promise<TwoReadersResult> {
  const requests = options.requests ?? 3;
  const server = new Router();
  await server.bind(`inproc://corpus-${randomUUID()}`);
  const serving = (async () => {
    for await (const [peer, body] of server) {
      if (peer !== undefined) await server.send([peer, `re: ${String(body)}`]);
    }
  })();

  const channel = new Channel(server.lastEndpoint as string);
  let logged = 0;
  const replies: string[] = [];
  let delivered: () => void = () => undefined;
  channel.onMessage(([body]) => {
    replies.push(String(body));
    delivered();
  });
  channel.onMessage(() => {
    logged++;
  });

  for (let r = 0; r < requests; r++) {
    const reply = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    await channel.socket.send(`request ${r}`);
    await reply;
  }

  await channel.close();
  server.close();
  await serving;
  return { replies, logged, readerErrors: channel.readerErrors };
}
