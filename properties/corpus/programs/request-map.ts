/**
 * A request/response client: a map of pending requests and a reader loop that settles them.
 *
 * Follows https://github.com/microsoft/vscode-jupyter, src/kernels/raw/session/rawSocket.node.ts
 * (a DEALER per channel, a `sendChain` promise that orders the sends, a `for await` reader per
 * channel started when the socket is made); replies are matched to requests by id, as
 * https://github.com/xieyuheng/zeromq-messaging-patterns, src/mydemo/startClient.ts matches them
 * by sequence number.
 *
 * Concurrency kept: several callers issue requests at once. Each request is sent through the
 * client's send chain (one send in flight at a time on the DEALER), and only after its `await
 * send` resumes does the caller register the request in the pending map. A reader task reads
 * replies with `for await` and settles the matching entry. The server is a ROUTER with one loop
 * that answers each request at once. Shutdown order: when every caller has its reply, the client
 * socket is closed (the reader loop ends), then the server socket (its loop ends).
 *
 * Registering after `await send` is correct on zeromq.js: a send resumes its caller before any
 * I/O callback runs, and the reply needs at least one (the server's receive).
 */
import { randomUUID } from "node:crypto";
import { Dealer, Router } from "zeromq";

export interface RequestMapOptions {
  /** Concurrent callers. Default 5. */
  readonly callers?: number;
  /** Requests per caller, one after the other. Default 2. */
  readonly requests?: number;
}

export interface RequestMapResult {
  /** `request->reply` for every request, sorted (ids depend on the order replies came back). */
  readonly replies: readonly string[];
  /** Replies that matched no pending request (must be 0). */
  readonly unmatched: number;
}

class Client {
  private readonly socket = new Dealer();
  private readonly pending = new Map<string, (reply: string) => void>();
  private sendChain: Promise<void> = Promise.resolve();
  private next = 0;
  unmatched = 0;
  readonly reading: Promise<void>;

  constructor(address: string) {
    this.socket.connect(address);
    this.reading = this.read();
  }

  async request(body: string): Promise<string> {
    const id = String(this.next++);
    const sent = this.sendChain.then(() => this.socket.send([id, body]));
    this.sendChain = sent.catch(() => undefined);
    await sent;
    // The request is on its way; its reply cannot be read before this line has run.
    return new Promise((resolve) => this.pending.set(id, (reply) => resolve(`${body}->${reply}`)));
  }

  close(): void {
    this.socket.close();
  }

  private async read(): Promise<void> {
    for await (const [id, reply] of this.socket) {
      const settle = this.pending.get(String(id));
      if (settle === undefined) {
        this.unmatched++;
        continue;
      }
      this.pending.delete(String(id));
      settle(String(reply));
    }
  }
}

async function serve(server: Router): Promise<void> {
  for await (const [peer, id, body] of server) {
    if (peer === undefined || id === undefined) continue;
    await server.send([peer, id, String(body).toUpperCase()]);
  }
}

export async function run(options: RequestMapOptions = {}): Promise<RequestMapResult> {
  const callers = options.callers ?? 5;
  const requests = options.requests ?? 2;

  const server = new Router();
  await server.bind(`inproc://corpus-${randomUUID()}`);
  const serving = serve(server);

  const client = new Client(server.lastEndpoint as string);
  const caller = async (c: number): Promise<string[]> => {
    const replies: string[] = [];
    for (let r = 0; r < requests; r++) replies.push(await client.request(`caller ${c} request ${r}`));
    return replies;
  };
  const replies = (await Promise.all(Array.from({ length: callers }, (_, c) => caller(c)))).flat();

  client.close();
  await client.reading;
  server.close();
  await serving;
  return { replies: replies.sort(), unmatched: client.unmatched };
}
