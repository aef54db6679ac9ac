/**
 * A lazy-pirate client: request, wait with a timeout, and on timeout reopen the socket and retry.
 *
 * Follows https://github.com/xieyuheng/zeromq-messaging-patterns, src/pirate-lazy/startClient.ts
 * and src/pirate-lazy/startServer.ts (a server that sometimes simulates overload by sleeping
 * before it answers), and the zguide's lazy pirate client
 * (https://github.com/booksbyus/zguide, examples/C/lpclient.c: on timeout, close the REQ socket
 * and open a new one, since a REQ socket cannot send twice in a row).
 *
 * Concurrency kept: the client is one task with a REQUEST socket; for each request it sends, then
 * races the pending `receive()` against a `setTimeout` timer. On timeout it closes the socket under
 * the pending receive (whose rejection it observes), opens a new socket and sends again, up to
 * `retries` attempts. The server is a ROUTER with one `for await` loop that answers each request,
 * but sleeps longer than the client's timeout before answering the first attempt of the request
 * chosen to be slow (that late answer goes to a closed peer and is dropped). Shutdown order: the
 * client closes its last socket, then the server's socket is closed under its pending receive.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Request, Router } from "zeromq";

export interface LazyPirateOptions {
  /** Requests, one after the other. Default 3. */
  readonly requests?: number;
  /** The request whose first attempt the server answers late. Default 2. */
  readonly slow?: number;
  /** Client timeout per attempt, ms. Default 40. */
  readonly timeoutMs?: number;
  /** How late the server answers the slow attempt, ms. Default 60. */
  readonly lateMs?: number;
  /** Attempts per request. Default 3. */
  readonly retries?: number;
}

export interface LazyPirateResult {
  /** The replies, in request order. */
  readonly replies: readonly string[];
  /** Attempts per request, in request order. */
  readonly attempts: readonly number[];
}

/** Waits for `pending` at most `ms`; `null` when the time ran out first. */
async function within<T>(pending: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function serve(server: Router, slow: number, lateMs: number): Promise<void> {
  for await (const [peer, empty, seq, attempt] of server) {
    if (peer === undefined || empty === undefined || seq === undefined) continue;
    if (Number(String(seq)) === slow && String(attempt) === "1") await sleep(lateMs);
    await server.send([peer, empty, seq, `reply ${String(seq)}`]);
  }
}

async function ask(address: string, seq: number, timeoutMs: number, retries: number): Promise<{ reply: string; attempts: number }> {
  for (let attempt = 1; attempt <= retries; attempt++) {
    const client = new Request();
    client.connect(address);
    try {
      await client.send([String(seq), String(attempt)]);
      const receiving = client.receive();
      const frames = await within(receiving, timeoutMs);
      if (frames !== null) return { reply: String(frames[1]), attempts: attempt };
      // No reply in time: drop this socket (its pending receive rejects; observed here) and retry.
      client.close();
      await receiving.catch(() => undefined);
    } finally {
      client.close();
    }
  }
  return { reply: "server seems to be offline", attempts: retries };
}

export async function run(options: LazyPirateOptions = {}): Promise<LazyPirateResult> {
  const requests = options.requests ?? 3;
  const timeoutMs = options.timeoutMs ?? 40;

  const server = new Router();
  await server.bind(`inproc://corpus-${randomUUID()}`);
  const serving = serve(server, options.slow ?? 2, options.lateMs ?? 60);

  const replies: string[] = [];
  const attempts: number[] = [];
  for (let seq = 1; seq <= requests; seq++) {
    const outcome = await ask(server.lastEndpoint as string, seq, timeoutMs, options.retries ?? 3);
    replies.push(outcome.reply);
    attempts.push(outcome.attempts);
  }

  server.close();
  await serving;
  return { replies, attempts };
}
