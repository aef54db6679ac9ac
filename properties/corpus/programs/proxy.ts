/**
 * A `zmq.Proxy` between a ROUTER frontend for clients and a DEALER backend for workers.
 *
 * Follows https://github.com/zeromq/zeromq.js, test/unit/proxy-router-dealer-worker.ts (REQ ->
 * ROUTER <-> DEALER -> REP through `new Proxy(new Router(), new Dealer())`, `terminate()` then
 * `await run()`), and the zguide's message queue broker (https://github.com/booksbyus/zguide,
 * examples/C/msgqueue.c). The test's `pause()` / `resume()` is left out: on zeromq 6.8.0 (libzmq
 * 4.3.5) a proxy stops forwarding after `pause()` then `resume()`, over inproc and tcp alike
 * (`terminate()` still ends it).
 *
 * Concurrency kept: the proxy's two sockets belong to the proxy (it runs in a libzmq thread; the
 * program never touches them after `run()`). Worker tasks each own a REPLY connected to the
 * backend and answer with `for await`; client tasks each own a REQUEST connected to the frontend
 * and send their requests one after the other, all clients at once. Shutdown order: when every client has its replies, the proxy is
 * terminated (it closes its two sockets; `run()` resolves), then the clients' and the workers'
 * sockets are closed (the workers' loops end).
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";

export interface ProxyOptions {
  /** Client tasks. Default 3. */
  readonly clients?: number;
  /** Requests per client. Default 2. */
  readonly requests?: number;
  /** Worker tasks. Default 2. */
  readonly workers?: number;
}

export interface ProxyResult {
  /** `request->reply` for every request, sorted. */
  readonly replies: readonly string[];
  /** Requests the workers answered, summed. */
  readonly answered: number;
}

async function answer(socket: zmq.Reply): Promise<number> {
  let answered = 0;
  for await (const [msg] of socket) {
    await socket.send(`${String(msg)}->${String(msg).toUpperCase()}`);
    answered++;
  }
  return answered;
}

async function ask(socket: zmq.Request, client: number, requests: number): Promise<string[]> {
  const replies: string[] = [];
  for (let r = 0; r < requests; r++) {
    await socket.send(`client ${client} request ${r}`);
    const [reply] = await socket.receive();
    replies.push(String(reply));
  }
  return replies;
}

export async function run(options: ProxyOptions = {}): Promise<ProxyResult> {
  const requests = options.requests ?? 2;
  const clientCount = options.clients ?? 3;
  const id = randomUUID();
  const frontAddress = `inproc://corpus-${id}-front`;
  const backAddress = `inproc://corpus-${id}-back`;

  const proxy = new zmq.Proxy(new zmq.Router(), new zmq.Dealer());
  await proxy.frontEnd.bind(frontAddress);
  await proxy.backEnd.bind(backAddress);
  const proxying = proxy.run();

  const workers = Array.from({ length: options.workers ?? 2 }, () => {
    const socket = new zmq.Reply();
    socket.connect(backAddress);
    return { socket, answering: answer(socket) };
  });

  const clients = Array.from({ length: clientCount }, () => {
    const socket = new zmq.Request();
    socket.connect(frontAddress);
    return socket;
  });
  const replies = (await Promise.all(clients.map((socket, c) => ask(socket, c, requests)))).flat();

  proxy.terminate();
  await proxying;
  for (const socket of clients) socket.close();
  for (const w of workers) w.socket.close();
  const answered = (await Promise.all(workers.map((w) => w.answering))).reduce((a, b) => a + b, 0);
  return { replies: replies.sort(), answered };
}
