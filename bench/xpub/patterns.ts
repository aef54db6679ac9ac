/**
 * The ways one owner can drive an XPUB that both publishes and reads subscription events,
 * and the raw PUB ceiling they are compared with:
 *   A  async: one task awaits each send, a second task reads events with `for await`;
 *   Bk poller: one loop awaits each send and every k sends checks `readable`, receiving
 *      events while it is true (no receive is ever pending while `readable` is read);
 *   C  raw: a PUB that has no events to read.
 */
import { Publisher, XPublisher } from "zeromq";
import type { AnyPublisher } from "../rig/sockets.js";
import type { Publishing, PublishingFactory } from "../rig/topology.js";

/** Identifies a pattern in results. */
export type PatternId = "A" | "B1" | "B16" | "B64" | "B256" | "C";

/** One pattern: what it is called and how it handles subscription events. */
export type PatternSpec =
  | { readonly id: PatternId; readonly kind: "async"; readonly label: string }
  | { readonly id: PatternId; readonly kind: "poll"; readonly every: number; readonly label: string }
  | { readonly id: PatternId; readonly kind: "raw"; readonly label: string };

/** Every pattern measured, in display order. */
export const patterns: readonly PatternSpec[] = [
  { id: "A", kind: "async", label: "A async (send task + for-await event task)" },
  { id: "B1", kind: "poll", every: 1, label: "B poller, readable every send" },
  { id: "B16", kind: "poll", every: 16, label: "B poller, readable every 16 sends" },
  { id: "B64", kind: "poll", every: 64, label: "B poller, readable every 64 sends" },
  { id: "B256", kind: "poll", every: 256, label: "B poller, readable every 256 sends" },
  { id: "C", kind: "raw", label: "C raw PUB (no events)" },
];

/** The pattern with `id`. */
export function patternById(id: PatternId): PatternSpec {
  const spec = patterns.find((p) => p.id === id);
  if (spec === undefined) throw new RangeError(`no pattern ${id}`);
  return spec;
}

/** The socket kind and driver of a pattern. */
export function patternFactory(spec: PatternSpec): PublishingFactory {
  switch (spec.kind) {
    case "async":
      return { kind: "xpub", start: (socket) => new AsyncPublishing(asXpub(socket)) };
    case "poll":
      return { kind: "xpub", start: (socket) => new PollingPublishing(asXpub(socket), spec.every) };
    case "raw":
      return { kind: "pub", start: (socket) => new RawPublishing(asPub(socket)) };
  }
}

/** A: sends awaited in the caller's task; a second task reads events for the socket's lifetime. */
class AsyncPublishing implements Publishing {
  readonly #socket: XPublisher;
  readonly #reader: Promise<void>;
  #events = 0;

  constructor(socket: XPublisher) {
    this.#socket = socket;
    this.#reader = this.#read();
  }

  get eventsRead(): number {
    return this.#events;
  }

  async publish(frame: Buffer, count: number): Promise<void> {
    const socket = this.#socket;
    for (let i = 0; i < count; i++) await socket.send(frame);
  }

  async close(): Promise<void> {
    this.#socket.close();
    await this.#reader;
  }

  async #read(): Promise<void> {
    // The pending receive is settled by close(); the iterator then ends.
    for await (const _event of this.#socket) this.#events += 1;
  }
}

/** Bk: one loop, no receive ever pending; `readable` is read only between sends. */
class PollingPublishing implements Publishing {
  readonly #socket: XPublisher;
  readonly #every: number;
  #sent = 0;
  #events = 0;

  constructor(socket: XPublisher, every: number) {
    if (!Number.isInteger(every) || every < 1) throw new RangeError(`check interval must be a positive integer, got ${every}`);
    this.#socket = socket;
    this.#every = every;
  }

  get eventsRead(): number {
    return this.#events;
  }

  async publish(frame: Buffer, count: number): Promise<void> {
    const socket = this.#socket;
    const every = this.#every;
    let sent = this.#sent;
    for (let i = 0; i < count; i++) {
      await socket.send(frame);
      sent += 1;
      if (sent % every === 0) {
        // readable true means a receive completes at once: it is never left pending.
        while (socket.readable) {
          await socket.receive();
          this.#events += 1;
        }
      }
    }
    this.#sent = sent;
  }

  async close(): Promise<void> {
    this.#socket.close();
  }
}

/** C: a PUB, sends awaited, nothing to read. */
class RawPublishing implements Publishing {
  readonly #socket: Publisher;

  constructor(socket: Publisher) {
    this.#socket = socket;
  }

  get eventsRead(): number {
    return 0;
  }

  async publish(frame: Buffer, count: number): Promise<void> {
    const socket = this.#socket;
    for (let i = 0; i < count; i++) await socket.send(frame);
  }

  async close(): Promise<void> {
    this.#socket.close();
  }
}

function asXpub(socket: AnyPublisher): XPublisher {
  if (!(socket instanceof XPublisher)) throw new TypeError("this pattern needs an XPublisher");
  return socket;
}

function asPub(socket: AnyPublisher): Publisher {
  if (!(socket instanceof Publisher)) throw new TypeError("the raw pattern needs a Publisher");
  return socket;
}
