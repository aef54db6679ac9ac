/**
 * A send queue shared by several producers.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/queue/queue.ts and examples/queue/index.ts.
 *
 * Concurrency kept: one DEALER bound over tcp whose every send goes through a queue object (an
 * array, a `sending` flag and one drain loop), so producers that call `queue.send()` without
 * waiting for each other never put two sends in flight on the socket. The sender starts sending
 * before any peer is connected (its first sends wait for one). A second DEALER connects and reads
 * with `for await`; it closes its own socket from inside the loop when the empty message that ends
 * the stream arrives, which ends the loop. Shutdown order: reader closes itself, the queue drains,
 * then the sender closes.
 */
import { Dealer, type MessageLike } from "zeromq";

export interface QueueOptions {
  /** Producers that enqueue at the same time. Default 3. */
  readonly producers?: number;
  /** Messages per producer. Default 4. */
  readonly messages?: number;
}

export interface QueueResult {
  /** Every message received, sorted. */
  readonly received: readonly string[];
  /** True when each producer's messages arrived in the order it enqueued them. */
  readonly fifoPerProducer: boolean;
}

/** Serializes the sends of many callers on one socket. */
class SendQueue {
  private readonly pending: MessageLike[] = [];
  private sending = false;
  private drained: Promise<void> = Promise.resolve();
  private readonly socket: Dealer;
  private readonly max: number;

  constructor(socket: Dealer, max = 100) {
    this.socket = socket;
    this.max = max;
  }

  send(message: MessageLike): Promise<void> {
    if (this.pending.length >= this.max) throw new Error("send queue is full");
    this.pending.push(message);
    if (!this.sending) this.drained = this.drain();
    return this.drained;
  }

  /** Resolves when everything queued so far has been handed to the socket. */
  idle(): Promise<void> {
    return this.drained;
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending.length > 0) {
        const next = this.pending.shift() as MessageLike;
        await this.socket.send(next);
      }
    } finally {
      this.sending = false;
    }
  }
}

async function produce(queue: SendQueue, producer: number, messages: number): Promise<void> {
  for (let i = 0; i < messages; i++) {
    // Resolves once the queue has handed this message (and whatever was queued before it) to the socket.
    await queue.send(`p${producer}-${i}`);
  }
}

async function readUntilEmpty(receiver: Dealer): Promise<string[]> {
  const received: string[] = [];
  for await (const [frame] of receiver) {
    if (frame === undefined || frame.length === 0) {
      receiver.close();
    } else {
      received.push(frame.toString());
    }
  }
  return received;
}

export async function run(options: QueueOptions = {}): Promise<QueueResult> {
  const producers = options.producers ?? 3;
  const messages = options.messages ?? 4;

  const sender = new Dealer();
  await sender.bind("tcp://127.0.0.1:*");
  const queue = new SendQueue(sender);

  const producing = Promise.all(Array.from({ length: producers }, (_, p) => produce(queue, p, messages)));

  const receiver = new Dealer();
  receiver.connect(sender.lastEndpoint as string);
  const reading = readUntilEmpty(receiver);

  await producing;
  // The empty message ends the stream; the queue keeps it behind every message enqueued before.
  await queue.send(null);
  const received = await reading;
  await queue.idle();
  sender.close();

  const fifoPerProducer = Array.from({ length: producers }, (_, p) => received.filter((m) => m.startsWith(`p${p}-`))).every((own) =>
    own.every((m, i) => m === `${m.split("-")[0]}-${i}`),
  );
  return { received: [...received].sort(), fifoPerProducer };
}
