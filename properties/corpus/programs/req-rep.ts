/**
 * A REQ client and a REP server that doubles numbers.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/req-rep/client.ts and
 * examples/req-rep/server.ts.
 *
 * Concurrency kept: the server is a `for await` loop on a REPLY socket bound over tcp that answers
 * each request before it takes the next; the client is one task that alternates `send` and
 * `receive` on a REQUEST socket. Shutdown order: the client closes its socket after its last
 * reply, then the server socket is closed while its loop waits in a receive, which ends the loop.
 */
import zmq from "zeromq";

export interface ReqRepOptions {
  /** The numbers the client asks to double, one request each. Default [4, 7, 11]. */
  readonly numbers?: readonly number[];
}

export interface ReqRepResult {
  /** The replies, in request order. */
  readonly results: readonly number[];
  /** Requests the server answered. */
  readonly served: number;
}

async function serve(socket: zmq.Reply): Promise<number> {
  let served = 0;
  for await (const [msg] of socket) {
    const value = Number.parseInt(String(msg), 10);
    await socket.send(String(2 * value));
    served++;
  }
  return served;
}

export async function run(options: ReqRepOptions = {}): Promise<ReqRepResult> {
  const numbers = options.numbers ?? [4, 7, 11];

  const server = new zmq.Reply();
  await server.bind("tcp://127.0.0.1:*");
  const serving = serve(server);

  const client = new zmq.Request();
  client.connect(server.lastEndpoint as string);
  const results: number[] = [];
  for (const n of numbers) {
    await client.send(String(n));
    const [result] = await client.receive();
    results.push(Number(String(result)));
  }
  client.close();

  server.close();
  const served = await serving;
  return { results, served };
}
