/**
 * Socket construction and addressing shared by every benchmark. Each socket gets a fresh
 * options object (zeromq.js constructors delete `context` from the object they are given),
 * tcp binds to an OS-chosen loopback port, and inproc names are unique per call.
 */
import { randomUUID } from "node:crypto";
import { Publisher, Subscriber, XPublisher } from "zeromq";
import type { Context } from "zeromq";

/** Where publisher and subscribers meet. */
export type Transport = "inproc" | "tcp";

/** The publishing socket types compared by the benchmarks. */
export type PublisherKind = "pub" | "xpub";

/** A publishing socket of either kind. */
export type AnyPublisher = Publisher | XPublisher;

/** Options shared by the sockets of one benchmark topology. */
export interface SocketSettings {
  /** the context every socket of the topology uses (inproc needs one shared context) */
  readonly context?: Context;
  /** ZMQ_LINGER in ms; -1 waits forever for queued messages, 0 drops them at close */
  readonly linger: number;
  /** high-water mark in messages; 0 means no limit, so nothing is dropped for being slow */
  readonly highWaterMark: number;
}

/** A PUB or an XPUB; an XPUB reports every subscribe and unsubscribe (`allSubsUnsubs`). */
export function createPublisher(kind: PublisherKind, settings: SocketSettings): AnyPublisher {
  const common = { linger: settings.linger, sendHighWaterMark: settings.highWaterMark };
  if (kind === "pub") return new Publisher(settings.context ? { ...common, context: settings.context } : common);
  const options = { ...common, verbosity: "allSubsUnsubs" as const };
  return new XPublisher(settings.context ? { ...options, context: settings.context } : options);
}

/** A SUB subscribed to `prefix` (every message by default). */
export function createSubscriber(settings: SocketSettings, prefix = ""): Subscriber {
  const options = { linger: settings.linger, receiveHighWaterMark: settings.highWaterMark };
  const socket = new Subscriber(settings.context ? { ...options, context: settings.context } : options);
  socket.subscribe(prefix);
  return socket;
}

/** Binds `socket` on `transport` and returns the address peers connect to. */
export async function bindTo(socket: AnyPublisher, transport: Transport): Promise<string> {
  const endpoint = transport === "inproc" ? `inproc://zmq-interleave-bench-${randomUUID()}` : "tcp://127.0.0.1:*";
  await socket.bind(endpoint);
  if (transport === "inproc") return endpoint;
  const bound = socket.lastEndpoint;
  if (bound === null) throw new Error(`no lastEndpoint after binding ${endpoint}`);
  return bound;
}
