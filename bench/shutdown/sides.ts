/**
 * The two ends of a shutdown case, as they run on the thread that owns them (the main
 * thread, or a worker that hosts one of them; see remote.ts). Sockets use the default
 * context: process exit with lingering messages is part of what is measured.
 */
import { setTimeout as delay } from "node:timers/promises";
import { dataFrame, frameKind } from "../rig/frames.js";
import { bindTo, createPublisher, createSubscriber } from "../rig/sockets.js";
import type { FrameKind } from "../rig/frames.js";
import type { AnyPublisher, PublisherKind } from "../rig/sockets.js";
import { XPublisher } from "zeromq";
import type { Subscriber } from "zeromq";

/** The publishing end. */
export interface PubSide {
  /** Binds on tcp://127.0.0.1 and resolves the address to connect to. */
  open(): Promise<string>;
  /** Sends one frame (probes and fences while proving the join). */
  publish(frame: Buffer): Promise<void>;
  /** Sends `count` data frames of `size` bytes, each awaited. */
  sendData(count: number, size: number): Promise<void>;
  /** Closes the socket; resolves when its event reader (if any) has ended. */
  close(): Promise<void>;
}

/** The subscribing end. */
export interface SubSide {
  open(address: string): Promise<void>;
  /** Receives until the join fence; afterwards starts the pending receive loop if asked to. */
  join(): Promise<void>;
  /** Drains until nothing arrived for `quietMs`, closes, and resolves the data frames received. */
  finish(quietMs: number): Promise<number>;
}

/** What a subscriber tells its owner as it goes. */
export interface SubEvents {
  /** a probe or a fence arrived (join bookkeeping) */
  frame(kind: FrameKind): void;
  /** data frames received so far; called at most every `reportEveryMs` and at the end */
  delivered(count: number): void;
}

const reportEveryMs = 20;

/** A PUB or XPUB with no send high-water mark; `reader` starts a pending event receive loop. */
export class LocalPub implements PubSide {
  readonly #kind: PublisherKind;
  readonly #linger: number;
  readonly #reader: boolean;
  #socket: AnyPublisher | undefined;
  #readerDone: Promise<void> = Promise.resolve();

  constructor(kind: PublisherKind, linger: number, reader: boolean) {
    this.#kind = kind;
    this.#linger = linger;
    this.#reader = reader;
  }

  async open(): Promise<string> {
    const socket = createPublisher(this.#kind, { linger: this.#linger, highWaterMark: 0 });
    this.#socket = socket;
    const address = await bindTo(socket, "tcp");
    if (this.#reader && socket instanceof XPublisher) {
      this.#readerDone = (async () => {
        for await (const _event of socket) {
          // subscription events are read and dropped
        }
      })();
    }
    return address;
  }

  async publish(frame: Buffer): Promise<void> {
    await this.#open().send(frame);
  }

  async sendData(count: number, size: number): Promise<void> {
    const socket = this.#open();
    const frame = dataFrame(size);
    for (let i = 0; i < count; i++) await socket.send(frame);
  }

  async close(): Promise<void> {
    this.#open().close();
    await this.#readerDone;
  }

  #open(): AnyPublisher {
    if (this.#socket === undefined) throw new Error("publisher used before open()");
    return this.#socket;
  }
}

/** A SUB (receive high-water mark 1000, the default) that counts data frames. */
export class LocalSub implements SubSide {
  readonly #linger: number;
  readonly #pending: boolean;
  readonly #events: SubEvents;
  #socket: Subscriber | undefined;
  #count = 0;
  #lastArrival = performance.now();
  #lastReport = 0;
  #loop: Promise<void> | undefined;

  constructor(linger: number, pending: boolean, events: SubEvents) {
    this.#linger = linger;
    this.#pending = pending;
    this.#events = events;
  }

  async open(address: string): Promise<void> {
    const socket = createSubscriber({ linger: this.#linger, highWaterMark: 1000 });
    socket.connect(address);
    this.#socket = socket;
  }

  async join(): Promise<void> {
    const socket = this.#open();
    for (;;) {
      const [frame] = await socket.receive();
      const kind = frame === undefined ? "other" : frameKind(frame);
      this.#events.frame(kind);
      if (kind === "fence") break;
    }
    if (this.#pending) this.#loop = this.#receiveLoop(socket);
  }

  async finish(quietMs: number): Promise<number> {
    const socket = this.#open();
    if (this.#loop !== undefined) {
      while (performance.now() - this.#lastArrival < quietMs) await delay(2);
      socket.close();
      await this.#loop;
    } else {
      // No receive is ever left pending: receive only what `readable` says is there.
      for (;;) {
        if (socket.readable) {
          await socket.receive();
          this.#arrived();
        } else if (performance.now() - this.#lastArrival >= quietMs) {
          break;
        } else {
          await delay(1);
        }
      }
      socket.close();
    }
    this.#events.delivered(this.#count);
    return this.#count;
  }

  async #receiveLoop(socket: Subscriber): Promise<void> {
    this.#lastArrival = performance.now();
    for await (const _frame of socket) this.#arrived();
  }

  #arrived(): void {
    this.#count += 1;
    const now = performance.now();
    this.#lastArrival = now;
    if (now - this.#lastReport >= reportEveryMs) {
      this.#lastReport = now;
      this.#events.delivered(this.#count);
    }
  }

  #open(): Subscriber {
    if (this.#socket === undefined) throw new Error("subscriber used before open()");
    return this.#socket;
  }
}
