/**
 * A load-balancing broker with two ROUTERs and two loops that cross over them.
 *
 * Follows https://github.com/xieyuheng/zeromq-messaging-patterns, src/load-balancing-broker/
 * (startBroker.ts, brokerHandleTask.ts, brokerHandleResult.ts, startWorker.ts, startClient.ts),
 * itself the zguide's load-balancing broker (https://github.com/booksbyus/zguide,
 * examples/C/lbbroker.c) on zeromq.js v6.
 *
 * Concurrency kept: the broker binds a frontend ROUTER (clients) and a backend ROUTER (workers)
 * over tcp and runs two loops nobody awaits while they run. The task loop takes a ready worker
 * (when none is ready it sleeps 10 ms and looks again), then receives a request on the frontend
 * and sends it on the backend; the result loop reads the backend with `for await`, marks the
 * worker ready again, and sends results on the frontend. So each ROUTER is read by one loop and
 * written by the other. Workers are DEALERs with a routing id: "ready", then a loop that
 * receives a task, sleeps for it and sends the result. Clients are DEALERs with a routing id,
 * each sending its requests one after the other and awaiting each result. Shutdown order: when
 * every client has its results, the clients close, the workers are closed under their pending
 * receives (their loops end), then the broker's ROUTERs under the loops' pending receives: the
 * result loop's `for await` ends, and the task loop's receive rejects, which it takes as the end.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Dealer, Router } from "zeromq";

export interface LbBrokerOptions {
  /** Clients, each with its requests. Default 3 clients of 2 requests. */
  readonly clients?: number;
  readonly requests?: number;
  /** Workers' sleeps per task, in ms, one worker each. Default [1, 2]. */
  readonly workers?: readonly number[];
}

export interface LbBrokerResult {
  /** `client:request->worker` for every request, the worker's name left out; sorted. */
  readonly results: readonly string[];
  /** Tasks the workers handled, summed. */
  readonly handled: number;
}

class LbBroker {
  readonly frontend = new Router();
  readonly backend = new Router();
  private readonly ready: Buffer[] = [];

  async bind(): Promise<{ front: string; back: string }> {
    await this.frontend.bind("tcp://127.0.0.1:*");
    await this.backend.bind("tcp://127.0.0.1:*");
    return { front: this.frontend.lastEndpoint as string, back: this.backend.lastEndpoint as string };
  }

  /** Hands each request to the next ready worker. */
  async handleTasks(): Promise<void> {
    while (!this.frontend.closed) {
      const worker = this.ready.shift();
      if (worker === undefined) {
        await sleep(10);
        continue;
      }
      let request: Buffer[];
      try {
        request = await this.frontend.receive();
      } catch (err) {
        if (this.frontend.closed) return; // closed under the pending receive: the broker stops
        throw err;
      }
      const [client, body] = request;
      await this.backend.send([worker, client ?? "", body ?? ""]);
    }
  }

  /** Marks workers ready and passes their results back. */
  async handleResults(): Promise<void> {
    for await (const [worker, kind, client, result] of this.backend) {
      if (worker === undefined) continue;
      this.ready.push(worker);
      if (String(kind) === "result") await this.frontend.send([client ?? "", result ?? ""]);
    }
  }

  close(): void {
    this.frontend.close();
    this.backend.close();
  }
}

async function work(address: string, name: string, ms: number, socket: Dealer): Promise<number> {
  socket.routingId = name;
  socket.connect(address);
  await socket.send(["ready"]);
  let handled = 0;
  for await (const [client, task] of socket) {
    await sleep(ms);
    await socket.send(["result", client ?? "", `${String(task)}->${name}`]);
    handled++;
  }
  return handled;
}

async function ask(address: string, name: string, requests: number, socket: Dealer): Promise<string[]> {
  socket.routingId = name;
  socket.connect(address);
  const results: string[] = [];
  for (let r = 0; r < requests; r++) {
    await socket.send(`${name}:${r}`);
    const [result] = await socket.receive();
    results.push(String(result));
  }
  socket.close();
  return results;
}

export async function run(options: LbBrokerOptions = {}): Promise<LbBrokerResult> {
  const broker = new LbBroker();
  const { front, back } = await broker.bind();
  const tasks = broker.handleTasks();
  const results = broker.handleResults();

  const workerSockets = (options.workers ?? [1, 2]).map(() => new Dealer());
  const working = workerSockets.map((socket, w) => work(back, `w${w}`, (options.workers ?? [1, 2])[w] ?? 1, socket));
  const clients = Array.from({ length: options.clients ?? 3 }, (_, c) => ask(front, `c${c}`, options.requests ?? 2, new Dealer()));
  const got = (await Promise.all(clients)).flat();

  for (const socket of workerSockets) socket.close();
  const handled = (await Promise.all(working)).reduce((a, b) => a + b, 0);
  broker.close();
  await Promise.all([tasks, results]);
  return { results: got.map((r) => r.replace(/->w\d+$/, "")).sort(), handled };
}
