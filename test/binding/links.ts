import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import * as zmq from "zeromq";
import { codeOf, nextTurn, settlesWithin, sleep } from "./probe.js";

/**
 * Real socket pairs for the timing measurements: created, bound, connected and joined (a
 * message proven to cross before anything is timed), every socket with linger 0 and closed
 * by its `SocketBag`.
 */

/** The two transports the kit runs on. */
export type Transport = "inproc" | "tcp";

/** Something that sends, as zeromq.js's `Writable`. */
export interface Sends {
  send(message: zmq.MessageLike | zmq.MessageLike[]): Promise<void>;
}

/** Something that receives, as zeromq.js's `Readable`. */
export interface Receives {
  receive(): Promise<Buffer[]>;
}

/** Every socket a measurement opens; `closeAll` closes them (pending ops settle inside it). */
export class SocketBag {
  private readonly sockets: zmq.Socket[] = [];

  add<S extends zmq.Socket>(socket: S): S {
    this.sockets.push(socket);
    return socket;
  }

  closeAll(): void {
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
  }
}

/** Runs `body` with a fresh bag and closes every socket afterwards, even on failure. */
export async function withSockets<T>(body: (bag: SocketBag) => Promise<T>): Promise<T> {
  const bag = new SocketBag();
  try {
    return await body(bag);
  } finally {
    bag.closeAll();
  }
}

/** Binds `socket` to a fresh endpoint of `transport` and returns the address to connect to. */
export async function bindFresh(socket: zmq.Socket, transport: Transport): Promise<string> {
  if (transport === "inproc") {
    const address = `inproc://timing-${randomUUID()}`;
    await socket.bind(address);
    return address;
  }
  await socket.bind("tcp://127.0.0.1:*");
  const address = socket.lastEndpoint;
  if (address === null) throw new Error("a tcp bind left no lastEndpoint");
  return address;
}

/** An address nobody listens on: an unbound inproc name, or a tcp port a closed listener just released. */
export async function absentAddress(transport: Transport): Promise<string> {
  if (transport === "inproc") return `inproc://timing-absent-${randomUUID()}`;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("a tcp listener reported no port");
  return `tcp://127.0.0.1:${address.port}`;
}

/** Waits, one loop turn at a time, until `socket` reports a queued message (no receive may be pending on it). */
export async function untilReadable(socket: zmq.Socket): Promise<void> {
  for (let turn = 0; !socket.readable; turn++) {
    if (turn > 5_000) throw new Error("no message became readable");
    await (turn < 50 ? nextTurn() : sleep(1));
  }
}

/**
 * Blocks the thread (no callback runs) until `ready()` holds, checking every millisecond.
 * Reading a socket's `readable` or `writable` consumes the wakeup a pending op waits for, so
 * the caller must settle that op itself in the same synchronous block (by a send's, a
 * receive's or a close's trigger).
 */
export function spinUntil(ready: () => boolean): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let ms = 0; !ready(); ms++) {
    if (ms > 10_000) throw new Error("the socket did not become ready within 10 s");
    Atomics.wait(cell, 0, 0, 1);
  }
}

/** `spinUntil` the socket reports a queued message. */
export function spinUntilReadable(socket: zmq.Socket): void {
  spinUntil(() => socket.readable);
}

/** The sending and receiving pairs measured; the first name sends, the second receives. */
export type LinkKind = "push-pull" | "pub-sub" | "xpub-sub" | "dealer-router" | "router-dealer" | "req-rep" | "rep-req" | "pair-pair" | "dealer-dealer";

/** Every link kind, in table order. */
export const LINK_KINDS: readonly LinkKind[] = ["push-pull", "pub-sub", "xpub-sub", "dealer-router", "router-dealer", "req-rep", "rep-req", "pair-pair", "dealer-dealer"];

/** Table label of a link kind: `PUSH→PULL`. */
export function linkLabel(kind: LinkKind): string {
  return kind
    .split("-")
    .map((s) => s.toUpperCase())
    .join("→");
}

/** A joined pair: one measured send direction, and the unmeasured steps around it. */
export interface Link {
  readonly kind: LinkKind;
  readonly sender: zmq.Socket & Sends;
  readonly receiver: zmq.Socket & Receives;
  /** Unmeasured steps that make the next send legal (REP: take a request first). */
  before(): Promise<void>;
  /** The measured send. */
  send(payload: string): Promise<void>;
  /** The measured receive, on the receiving socket. */
  receive(): Promise<Buffer[]>;
  /** Unmeasured steps after the message was received (REQ→REP: the reply round trip). */
  after(): Promise<void>;
}

/** Options of both sockets of a link. */
export interface LinkOptions {
  /** Send high-water mark of the sender, receive high-water mark of the receiver. */
  readonly hwm?: number;
  /** A PUB or XPUB sender rejects (EAGAIN) instead of dropping at the high-water mark. */
  readonly noDrop?: boolean;
  /** A ROUTER sender refuses (instead of dropping) what it cannot deliver. */
  readonly mandatory?: boolean;
}

/** Peer routing id used by ROUTER links. */
const PEER_ID = "peer";

const none = async (): Promise<void> => {};

/** Creates, binds, connects and joins a link of `kind` over `transport`. */
export async function openLink(bag: SocketBag, kind: LinkKind, transport: Transport, options: LinkOptions = {}): Promise<Link> {
  const out = options.hwm === undefined ? {} : { sendHighWaterMark: options.hwm };
  const into = options.hwm === undefined ? {} : { receiveHighWaterMark: options.hwm };
  const noDrop = options.noDrop === true ? { noDrop: true } : {};
  switch (kind) {
    case "push-pull": {
      const receiver = bag.add(new zmq.Pull({ linger: 0, ...into }));
      const sender = bag.add(new zmq.Push({ linger: 0, ...out }));
      sender.connect(await bindFresh(receiver, transport));
      await sender.send("join");
      await receiver.receive();
      return simple(kind, sender, receiver);
    }
    case "pair-pair":
    case "dealer-dealer": {
      const make = (hwm: object) => (kind === "pair-pair" ? new zmq.Pair({ linger: 0, ...hwm }) : new zmq.Dealer({ linger: 0, ...hwm }));
      const receiver = bag.add(make(into));
      const sender = bag.add(make(out));
      sender.connect(await bindFresh(receiver, transport));
      await sender.send("join");
      await receiver.receive();
      return simple(kind, sender, receiver);
    }
    case "dealer-router": {
      const receiver = bag.add(new zmq.Router({ linger: 0, ...into }));
      const sender = bag.add(new zmq.Dealer({ linger: 0, routingId: PEER_ID, ...out }));
      sender.connect(await bindFresh(receiver, transport));
      await sender.send("join");
      await receiver.receive();
      return simple(kind, sender, receiver);
    }
    case "router-dealer": {
      const sender = bag.add(new zmq.Router({ linger: 0, mandatory: options.mandatory === true, ...out }));
      const receiver = bag.add(new zmq.Dealer({ linger: 0, routingId: PEER_ID, ...into }));
      receiver.connect(await bindFresh(sender, transport));
      await receiver.send("join");
      await sender.receive();
      return { ...simple(kind, sender, receiver), send: (payload) => sender.send([PEER_ID, payload]) };
    }
    case "req-rep": {
      const receiver = bag.add(new zmq.Reply({ linger: 0, ...into }));
      const sender = bag.add(new zmq.Request({ linger: 0, ...out }));
      sender.connect(await bindFresh(receiver, transport));
      const after = async () => {
        await receiver.send("reply");
        await sender.receive();
      };
      await sender.send("join");
      await receiver.receive();
      await after();
      return { ...simple(kind, sender, receiver), after };
    }
    case "rep-req": {
      const sender = bag.add(new zmq.Reply({ linger: 0, ...out }));
      const receiver = bag.add(new zmq.Request({ linger: 0, ...into }));
      receiver.connect(await bindFresh(sender, transport));
      const before = async () => {
        await receiver.send("request");
        await sender.receive();
      };
      return { ...simple(kind, sender, receiver), before };
    }
    case "pub-sub":
    case "xpub-sub": {
      const sender = bag.add(kind === "pub-sub" ? new zmq.Publisher({ linger: 0, ...noDrop, ...out }) : new zmq.XPublisher({ linger: 0, ...noDrop, ...out }));
      const receiver = bag.add(new zmq.Subscriber({ linger: 0, ...into }));
      receiver.subscribe();
      receiver.connect(await bindFresh(sender, transport));
      if (sender instanceof zmq.XPublisher) await sender.receive();
      else await joinSubscriber(sender, receiver);
      return simple(kind, sender, receiver);
    }
  }
}

function simple(kind: LinkKind, sender: zmq.Socket & Sends, receiver: zmq.Socket & Receives): Link {
  return { kind, sender, receiver, before: none, send: (payload) => sender.send(payload), receive: () => receiver.receive(), after: none };
}

/**
 * Proves a subscriber's join: publishes until one message arrives (the slow joiner misses
 * the first ones), one message per 20 ms window so at most a late one can be left over, then
 * drains up to a token so nothing stale stays queued. The token is sent once: a duplicate
 * would itself be stale.
 */
export async function joinSubscriber(pub: Sends, sub: Receives): Promise<void> {
  const first = sub.receive();
  const settled = first.then(
    () => null,
    (err: unknown) => err,
  );
  for (;;) {
    await refusedIsFine(pub.send("join"));
    if (await settlesWithin(first, 10, 20)) break;
  }
  const failed = await settled;
  if (failed !== null) throw failed;
  await receiveUpToToken((token) => pub.send(token), () => sub.receive(), false);
}

/** Awaits a send; a refusal at the high-water mark (`EAGAIN`, as with `noDrop`) is not an error. */
async function refusedIsFine(send: Promise<void>): Promise<void> {
  try {
    await send;
  } catch (err) {
    if (codeOf(err) !== "EAGAIN") throw err;
  }
}

/**
 * Sends a fresh token and receives until it arrives; returns how many other messages came
 * first. A token refused at the high-water mark (`EAGAIN`) is sent again; with `resend` (for
 * links that drop at the high-water mark) it is sent again every few milliseconds until it
 * arrives. Never leaves a rejection unobserved.
 */
export async function receiveUpToToken(send: (token: string) => Promise<void>, receive: () => Promise<Buffer[]>, resend: boolean): Promise<number> {
  const token = `token-${randomUUID()}`;
  const state = { got: false };
  const sending = (async (): Promise<unknown> => {
    try {
      for (;;) {
        try {
          await send(token);
          if (!resend) return null;
        } catch (err) {
          if (codeOf(err) !== "EAGAIN") throw err;
        }
        await sleep(2);
        if (state.got) return null;
      }
    } catch (err) {
      return err;
    }
  })();
  let others = 0;
  try {
    for (;;) {
      const next = receive();
      const outcome = next.then(
        (frames) => frames,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      );
      if (!(await settlesWithin(next, 100, 5_000))) throw new Error("the token never arrived (dropped at the high-water mark?)");
      const frames = await outcome;
      if (frames instanceof Error) throw frames;
      const last = frames[frames.length - 1];
      if (last !== undefined && last.length === token.length && last.toString() === token) break;
      others++;
    }
  } finally {
    state.got = true;
  }
  const failed = await sending;
  if (failed !== null) throw failed;
  return others;
}

/** A joined DEALER pair: `a` connected (its send high-water mark from `options`), `b` bound. */
export async function openDealers(bag: SocketBag, transport: Transport, options: LinkOptions = {}): Promise<{ a: zmq.Dealer; b: zmq.Dealer }> {
  const link = await openLink(bag, "dealer-dealer", transport, options);
  const { sender: a, receiver: b } = link;
  if (!(a instanceof zmq.Dealer) || !(b instanceof zmq.Dealer)) throw new Error("a dealer-dealer link must hold two DEALERs");
  return { a, b };
}

/**
 * A ROUTER bound at `address` and one DEALER per routing id in `ids`, connected to it, each
 * known to the ROUTER (its "ready" received). Linger 0; the caller closes them.
 */
export async function routerWithDealers(address: string, ids: readonly string[]): Promise<{ router: zmq.Router; dealers: zmq.Dealer[] }> {
  const router = new zmq.Router({ linger: 0 });
  await router.bind(address);
  const dealers: zmq.Dealer[] = [];
  for (const routingId of ids) {
    const dealer = new zmq.Dealer({ linger: 0, routingId });
    dealer.connect(router.lastEndpoint ?? "");
    await dealer.send("ready");
    await router.receive();
    dealers.push(dealer);
  }
  return { router, dealers };
}
