/**
 * A majordomo-style broker with workers and clients over tcp.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/majordomo/broker.ts, service.ts, worker.ts
 * and index.ts; the shutdown by worker DISCONNECT follows
 * https://github.com/edgracilla/zeromq-mdp-nodejs, src/broker/index.ts and src/worker/index.ts.
 *
 * Concurrency kept: the broker is one ROUTER bound over tcp, read by one `for await` loop that
 * awaits each message's handling, so its sends (requests to workers, replies to clients) happen
 * one after another. Each worker is a DEALER with one `for await` loop that processes a request
 * (a short sleep) and awaits its reply's send. Clients are REQUEST sockets, one per request, all
 * issued at once with `Promise.all`. Shutdown order: once every client has its reply, each worker
 * sends DISCONNECT and closes its socket (its loop ends); the broker closes its own socket from
 * its loop when the last registered worker has disconnected (its loop ends).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Dealer, Request, Router } from "zeromq";

const CLIENT = "MDPC01";
const WORKER = "MDPW01";
const READY = "\x01";
const REQUEST = "\x02";
const REPLY = "\x03";
const DISCONNECT = "\x05";

export interface MajordomoOptions {
  /** Requests as [service, body], issued together. Default: 6 requests over 3 services. */
  readonly requests?: readonly (readonly [string, string])[];
  /** Workers as [service, processing time in ms]. Default: 4 workers over 3 services. */
  readonly workers?: readonly (readonly [string, number])[];
  /** How long a client waits for its reply. Default: for ever. */
  readonly timeoutMs?: number;
}

export interface MajordomoResult {
  /** `service:request->reply` for every request, sorted. */
  readonly replies: readonly string[];
  /** Workers the broker saw disconnect. */
  readonly disconnected: number;
}

/** Requests and idle workers of one service, inside the broker. */
class Service {
  private readonly idle: Buffer[] = [];
  private readonly queued: (readonly [Buffer, Buffer[]])[] = [];
  private readonly socket: Router;
  readonly name: string;

  constructor(socket: Router, name: string) {
    this.socket = socket;
    this.name = name;
  }

  async request(client: Buffer, body: Buffer[]): Promise<void> {
    this.queued.push([client, body]);
    await this.dispatch();
  }

  async register(worker: Buffer): Promise<void> {
    this.idle.push(worker);
    await this.dispatch();
  }

  async reply(worker: Buffer, client: Buffer, body: Buffer[]): Promise<void> {
    await this.socket.send([client, "", CLIENT, this.name, ...body]);
    await this.register(worker);
  }

  deregister(worker: Buffer): void {
    const at = this.idle.findIndex((w) => w.equals(worker));
    if (at >= 0) this.idle.splice(at, 1);
  }

  private async dispatch(): Promise<void> {
    while (this.idle.length > 0 && this.queued.length > 0) {
      const worker = this.idle.shift() as Buffer;
      const [client, body] = this.queued.shift() as readonly [Buffer, Buffer[]];
      await this.socket.send([worker, "", WORKER, REQUEST, client, "", ...body]);
    }
  }
}

/** The broker: one ROUTER socket, one loop. */
export class Broker {
  readonly socket = new Router();
  protected readonly services = new Map<string, Service>();
  protected readonly workerService = new Map<string, string>();
  disconnected = 0;

  private readonly poolSize: number;

  /** `poolSize`: the workers the broker serves; it stops when all of them have disconnected. */
  constructor(poolSize: number) {
    this.poolSize = poolSize;
  }

  async bind(): Promise<string> {
    await this.socket.bind("tcp://127.0.0.1:*");
    return this.socket.lastEndpoint as string;
  }

  /** Reads and handles messages until the socket is closed. */
  async start(): Promise<void> {
    for await (const message of this.socket) {
      await this.handle(message);
    }
  }

  protected async handle([sender, , header, ...rest]: Buffer[]): Promise<void> {
    if (sender === undefined || header === undefined) return;
    if (header.toString() === CLIENT) {
      const [service, ...body] = rest;
      if (service !== undefined) await this.service(service.toString()).request(sender, body);
    } else if (header.toString() === WORKER) {
      await this.handleWorker(sender, rest);
    }
  }

  private async handleWorker(worker: Buffer, [type, ...rest]: Buffer[]): Promise<void> {
    const key = worker.toString("hex");
    switch (type?.toString()) {
      case READY: {
        const name = String(rest[0]);
        this.workerService.set(key, name);
        await this.service(name).register(worker);
        break;
      }
      case REPLY: {
        const [client, , ...body] = rest;
        const name = this.workerService.get(key);
        if (client !== undefined && name !== undefined) await this.service(name).reply(worker, client, body);
        break;
      }
      case DISCONNECT: {
        const name = this.workerService.get(key);
        if (name !== undefined) this.service(name).deregister(worker);
        this.disconnected++;
        // The last worker of the pool has left: nothing more to broker.
        if (this.disconnected === this.poolSize) this.socket.close();
        break;
      }
    }
  }

  protected service(name: string): Service {
    let found = this.services.get(name);
    if (found === undefined) {
      found = new Service(this.socket, name);
      this.services.set(name, found);
    }
    return found;
  }
}

/** A worker: one DEALER socket, one loop; replies with the request in capitals. */
export class MajordomoWorker {
  readonly socket = new Dealer();
  readonly service: string;
  private readonly workMs: number;

  constructor(service: string, workMs: number, address: string) {
    this.service = service;
    this.workMs = workMs;
    this.socket.connect(address);
  }

  async start(): Promise<void> {
    await this.socket.send(["", WORKER, READY, this.service]);
    for await (const [, , , client, , ...body] of this.socket) {
      if (client === undefined) continue;
      await sleep(this.workMs);
      const reply = body.map((b) => `${this.service}:${b.toString()}->${b.toString().toUpperCase()}`);
      await this.socket.send(["", WORKER, REPLY, client, "", ...reply]);
    }
  }

  async stop(): Promise<void> {
    await this.socket.send(["", WORKER, DISCONNECT, this.service]);
    this.socket.close();
  }
}

/**
 * One client request on its own REQUEST socket. With `timeoutMs`, a reply that does not come in
 * time gives `"timeout"`: the socket is closed under the pending receive, whose rejection is
 * observed here.
 */
export async function request(address: string, service: string, body: string, timeoutMs?: number): Promise<string> {
  const socket = new Request();
  socket.connect(address);
  try {
    await socket.send([CLIENT, service, body]);
    const receiving = socket.receive().then((frames) => frames.slice(2).map(String).join(","));
    if (timeoutMs === undefined) return await receiving;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([receiving, expired]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      socket.close();
      await receiving.catch(() => undefined);
    }
    return outcome;
  } finally {
    socket.close();
  }
}

export const DEFAULT_REQUESTS: readonly (readonly [string, string])[] = [
  ["soda", "cola"],
  ["tea", "oolong"],
  ["tea", "sencha"],
  ["coffee", "latte"],
  ["tea", "jasmine"],
  ["coffee", "espresso"],
];
export const DEFAULT_WORKERS: readonly (readonly [string, number])[] = [
  ["soda", 1],
  ["tea", 2],
  ["coffee", 1],
  ["tea", 3],
];

/** Runs `broker` with workers and clients; shared by the correct program and its buggy variant. */
export async function runWith(makeBroker: (poolSize: number) => Broker, options: MajordomoOptions): Promise<MajordomoResult> {
  const requests = options.requests ?? DEFAULT_REQUESTS;
  const pool = options.workers ?? DEFAULT_WORKERS;
  const broker = makeBroker(pool.length);
  const address = await broker.bind();
  const brokering = broker.start();

  const workers = pool.map(([service, ms]) => new MajordomoWorker(service, ms, address));
  const working = Promise.all(workers.map((w) => w.start()));

  const replies = await Promise.all(requests.map(([service, body]) => request(address, service, body, options.timeoutMs)));

  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([brokering, working]);
  return { replies: [...replies].sort(), disconnected: broker.disconnected };
}

export async function run(options: MajordomoOptions = {}): Promise<MajordomoResult> {
  return runWith((poolSize) => new Broker(poolSize), options);
}
