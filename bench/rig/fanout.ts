/**
 * The subscribing side of a benchmark: N SUB sockets, each with a receive loop that counts
 * what it gets in a shared DeliveryCounter and, with churn on, subscribes and unsubscribes
 * an extra topic every few data frames so an XPUB has subscription events to read.
 */
import { DeliveryCounter } from "./delivery.js";
import { frameKind } from "./frames.js";
import { createSubscriber } from "./sockets.js";
import type { Subscriber } from "zeromq";
import type { SocketSettings } from "./sockets.js";

/** How to build a fanout. */
export interface FanoutOptions {
  /** the publisher's address */
  readonly address: string;
  /** invariant: a positive integer */
  readonly subscribers: number;
  readonly settings: SocketSettings;
  /** each subscriber toggles one extra subscription every `churnEvery` data frames; 0 turns churn off */
  readonly churnEvery: number;
}

/** N counting subscribers connected to one publisher. Close it to end the receive loops. */
export class Fanout {
  readonly counter: DeliveryCounter;
  readonly #sockets: readonly Subscriber[];
  readonly #loops: readonly Promise<void>[];
  readonly #toggles: number[];

  private constructor(options: FanoutOptions) {
    this.counter = new DeliveryCounter(options.subscribers);
    this.#toggles = new Array<number>(options.subscribers).fill(0);
    const sockets: Subscriber[] = [];
    for (let i = 0; i < options.subscribers; i++) {
      const socket = createSubscriber(options.settings);
      socket.connect(options.address);
      sockets.push(socket);
    }
    this.#sockets = sockets;
    this.#loops = sockets.map((socket, i) => this.#receive(socket, i, options.churnEvery));
  }

  /** Connects the subscribers and starts their receive loops. */
  static open(options: FanoutOptions): Fanout {
    return new Fanout(options);
  }

  /** Subscribe plus unsubscribe calls made by churn so far, over all subscribers. */
  get churnToggles(): number {
    return this.#toggles.reduce((sum, t) => sum + t, 0);
  }

  /** Closes every subscriber and waits for the receive loops to end; rethrows a loop's error. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.close();
    await Promise.all(this.#loops);
  }

  async #receive(socket: Subscriber, index: number, churnEvery: number): Promise<void> {
    const topic = `churn/${index}`;
    let data = 0;
    let subscribed = false;
    // A closed socket ends the loop: the iterator turns the EAGAIN rejection into done.
    for await (const [frame] of socket) {
      if (frame === undefined) continue;
      const kind = frameKind(frame);
      this.counter.record(index, kind);
      if (churnEvery > 0 && kind === "data" && ++data % churnEvery === 0) {
        if (subscribed) socket.unsubscribe(topic);
        else socket.subscribe(topic);
        subscribed = !subscribed;
        this.#toggles[index] = (this.#toggles[index] ?? 0) + 1;
      }
    }
  }
}
