/**
 * One publisher and N counting subscribers on a fresh context, joined before use: the unit
 * every throughput measurement runs on. How the publisher sends (and whether it reads
 * subscription events) is a `Publishing` supplied by the caller.
 */
import { Context } from "zeromq";
import { Fanout } from "./fanout.js";
import { proveJoin } from "./join.js";
import { bindTo, createPublisher } from "./sockets.js";
import type { Arrival } from "./delivery.js";
import type { JoinProof } from "./join.js";
import type { AnyPublisher, PublisherKind, SocketSettings, Transport } from "./sockets.js";

/** A publisher socket driven one particular way. */
export interface Publishing {
  /** Sends `frame` `count` times, awaiting each send, handling subscription events its own way. */
  publish(frame: Buffer, count: number): Promise<void>;
  /** Subscription events read from the socket so far (0 for a socket that reads none). */
  readonly eventsRead: number;
  /** Closes the socket and waits for any task of its own to end. */
  close(): Promise<void>;
}

/** Makes a `Publishing` around a freshly bound socket of `kind`. */
export interface PublishingFactory {
  readonly kind: PublisherKind;
  start(socket: AnyPublisher): Publishing;
}

/** The shape of a topology. */
export interface TopologyOptions {
  readonly transport: Transport;
  readonly subscribers: number;
  /** see FanoutOptions.churnEvery; 0 turns churn off */
  readonly churnEvery: number;
  /** linger and high-water mark of every socket (a fresh context is added) */
  readonly linger: number;
  readonly highWaterMark: number;
}

/** A joined publisher + fanout. Close it exactly once. */
export class Topology {
  readonly publishing: Publishing;
  readonly fanout: Fanout;
  readonly join: JoinProof;

  private constructor(publishing: Publishing, fanout: Fanout, join: JoinProof) {
    this.publishing = publishing;
    this.fanout = fanout;
    this.join = join;
  }

  /** Binds, connects, starts the publishing and proves every subscriber has joined. */
  static async open(options: TopologyOptions, factory: PublishingFactory): Promise<Topology> {
    const settings: SocketSettings = { context: new Context(), linger: options.linger, highWaterMark: options.highWaterMark };
    const socket = createPublisher(factory.kind, settings);
    let address: string;
    try {
      address = await bindTo(socket, options.transport);
    } catch (err) {
      socket.close();
      throw err;
    }
    const publishing = factory.start(socket);
    const fanout = Fanout.open({ address, subscribers: options.subscribers, settings, churnEvery: options.churnEvery });
    try {
      const join = await proveJoin((frame) => publishing.publish(frame, 1), fanout.counter);
      return new Topology(publishing, fanout, join);
    } catch (err) {
      await fanout.close();
      await publishing.close();
      throw err;
    }
  }

  /**
   * Publishes `count` copies of `frame` and waits until every subscriber has received all
   * of them, or `timeoutMs` passes (then the arrival says what was missing).
   */
  async deliver(frame: Buffer, count: number, timeoutMs: number): Promise<Arrival> {
    const targets = this.fanout.counter.targetsAbove(count);
    await this.publishing.publish(frame, count);
    return this.fanout.counter.until("data", targets, timeoutMs);
  }

  /** Closes subscribers first (their loops end), then the publisher. */
  async close(): Promise<void> {
    await this.fanout.close();
    await this.publishing.close();
  }
}
