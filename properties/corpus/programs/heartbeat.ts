/**
 * Heartbeats between a broker and its workers; a worker that stops beating is declared dead.
 *
 * Follows https://github.com/edgracilla/zeromq-mdp-nodejs, src/worker/index.ts (a `setInterval`
 * beater, a liveness counter, heartbeats and replies on the worker's DEALER) and
 * src/broker/service-worker.ts (a broker-side timer per worker that decrements its liveness and
 * drops the worker at 0).
 *
 * Concurrency kept: the broker is a ROUTER bound over inproc with one `for await` loop (READY
 * registers a worker, anything from a worker resets its liveness) and one `setInterval` tick that
 * decrements every worker's liveness, declares it dead at 0, and otherwise sends it a heartbeat.
 * Each worker is a DEALER with a `for await` loop (jobs are answered, heartbeats counted) and a
 * `setInterval` beater. Every send of a socket goes through that socket's send queue, so the timer
 * and the loop never have two sends in flight on one socket (the fix of heartbeat-overlap.ts).
 * One worker stops beating after a few beats (it hangs, its socket stays open). Shutdown order:
 * when the broker declares it dead, the timers are cleared, every queue drains, then the workers'
 * sockets and the broker's socket are closed under their pending receives (the loops end).
 *
 * Over inproc a beat is in the broker's pipe as soon as it is sent, so with beats twice as often
 * as ticks no tick can find the healthy worker silent, however slow the machine; over tcp, a
 * starved I/O thread can hold beats back for several ticks (seen once in 320 loaded raw runs).
 */
import { randomUUID } from "node:crypto";
import { Dealer, Router, type MessageLike } from "zeromq";

export interface HeartbeatOptions {
  /** Worker beat period, ms. Default 5. */
  readonly beatMs?: number;
  /** Broker tick period, ms. Default 10. */
  readonly tickMs?: number;
  /** Ticks without a message before a worker is dead. Default 4. */
  readonly liveness?: number;
  /** Beats the hanging worker sends before it hangs. Default 3. */
  readonly beatsBeforeHang?: number;
  /** Jobs the broker gives each worker when it registers. Default 2. */
  readonly jobs?: number;
}

export interface HeartbeatResult {
  /** Workers the broker declared dead. */
  readonly dead: readonly string[];
  /** Workers still alive at the end, sorted. */
  readonly alive: readonly string[];
  /** Job replies the broker received. */
  readonly replies: number;
}

/** One send in flight per socket, whoever asks. */
class SendQueue {
  private readonly waiting: MessageLike[][] = [];
  private draining: Promise<void> | null = null;

  private readonly socket: { send(message: MessageLike[]): Promise<void> };

  constructor(socket: { send(message: MessageLike[]): Promise<void> }) {
    this.socket = socket;
  }

  send(message: MessageLike[]): Promise<void> {
    this.waiting.push(message);
    this.draining ??= this.drain();
    return this.draining;
  }

  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.waiting.shift(); next !== undefined; next = this.waiting.shift()) await this.socket.send(next);
    } finally {
      this.draining = null;
    }
  }
}

class Broker {
  readonly socket = new Router();
  private readonly queue = new SendQueue(this.socket);
  private readonly liveness = new Map<string, number>();
  private ticker: NodeJS.Timeout | undefined;
  private deathSeen: () => void = () => undefined;
  readonly firstDeath = new Promise<void>((resolve) => {
    this.deathSeen = resolve;
  });
  readonly dead: string[] = [];
  replies = 0;
  private readonly maxLiveness: number;
  private readonly jobs: number;

  constructor(maxLiveness: number, jobs: number) {
    this.maxLiveness = maxLiveness;
    this.jobs = jobs;
  }

  async listen(): Promise<void> {
    for await (const [id, kind] of this.socket) {
      if (id === undefined) continue;
      const name = id.toString();
      if (this.dead.includes(name)) continue;
      if (String(kind) === "ready") {
        for (let j = 0; j < this.jobs; j++) await this.queue.send([id, "job", String(j)]);
      }
      if (String(kind) === "done") this.replies++;
      this.liveness.set(name, this.maxLiveness);
    }
  }

  startTicking(tickMs: number): void {
    this.ticker = setInterval(() => {
      for (const [name, left] of this.liveness) {
        if (left <= 1) {
          this.liveness.delete(name);
          this.dead.push(name);
          this.deathSeen();
        } else {
          this.liveness.set(name, left - 1);
          this.queue.send([name, "beat"]).catch(() => undefined);
        }
      }
    }, tickMs);
  }

  alive(): string[] {
    return [...this.liveness.keys()].sort();
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    await this.queue.idle();
    this.socket.close();
  }
}

class HeartbeatWorker {
  private readonly socket: Dealer;
  private readonly queue: SendQueue;
  private beater: NodeJS.Timeout | undefined;
  beatsFromBroker = 0;
  readonly name: string;

  constructor(name: string, address: string) {
    this.name = name;
    this.socket = new Dealer({ routingId: name });
    this.socket.connect(address);
    this.queue = new SendQueue(this.socket);
  }

  /** Registers, starts beating (`beats` beats, then the worker hangs), and serves jobs. */
  async start(beatMs: number, beats: number): Promise<void> {
    await this.queue.send(["ready"]);
    let sent = 0;
    this.beater = setInterval(() => {
      if (sent++ === beats) {
        clearInterval(this.beater);
        return;
      }
      this.queue.send(["beat"]).catch(() => undefined);
    }, beatMs);
    for await (const [kind, job] of this.socket) {
      if (String(kind) === "job") await this.queue.send(["done", String(job)]);
      else this.beatsFromBroker++;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.beater);
    await this.queue.idle();
    this.socket.close();
  }
}

export async function run(options: HeartbeatOptions = {}): Promise<HeartbeatResult> {
  const beatMs = options.beatMs ?? 5;
  const broker = new Broker(options.liveness ?? 4, options.jobs ?? 2);
  await broker.socket.bind(`inproc://corpus-${randomUUID()}`);
  const address = broker.socket.lastEndpoint as string;
  const listening = broker.listen();
  broker.startTicking(options.tickMs ?? 10);

  const hanging = new HeartbeatWorker("w1", address);
  const healthy = new HeartbeatWorker("w2", address);
  const working = Promise.all([hanging.start(beatMs, options.beatsBeforeHang ?? 3), healthy.start(beatMs, Number.POSITIVE_INFINITY)]);

  await broker.firstDeath;
  const dead = [...broker.dead];
  const alive = broker.alive();

  await Promise.all([hanging.stop(), healthy.stop()]);
  await working;
  await broker.stop();
  await listening;
  return { dead, alive, replies: broker.replies };
}
