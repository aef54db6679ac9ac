import { KitError } from "../errors.js";
import type { Interleaving, SocketSpec, SocketType } from "../interleaving/types.js";
import { canRecv, canSend, isSinglePeerSender } from "../model/profile.js";
import type { HostHandle } from "./handle.js";
import type { SocketPlan } from "./protocol.js";

/**
 * Set-up before step 1: every owner creates its sockets, binders bind, connecters connect,
 * subscribers subscribe, and each pipe is proven connected so the slow-joiner effect cannot
 * leak into a verdict. Over inproc, connecting to a bound endpoint is synchronous; over tcp a
 * probe crosses each pipe (and comes back where the link is two-way). An XPUB's initial
 * subscription frames are received here, as the proof of its joins.
 */

/** Where each socket lives. */
export type HostOf = (thread: number) => HostHandle;

function peersOf(x: Interleaving, s: SocketSpec): SocketSpec[] {
  return x.scenario.sockets.filter((t) => t.endpoint === s.endpoint && t.role !== s.role);
}

function plan(x: Interleaving, s: SocketSpec, address: string): SocketPlan {
  const peers: Record<string, SocketType> = {};
  for (const p of peersOf(x, s)) peers[p.id] = p.type;
  const watchDisconnect = s.role === "connect" && x.scenario.transport === "tcp" && watchesBinder(s) && peersOf(x, s).some((b) => mayClose(x, b));
  return { spec: s, address, peers, watchDisconnect };
}

/**
 * Whose fate depends on noticing that its binder is gone (over tcp): a single-peer sender
 * (its sends queue, or are lost), and a subscriber with topics (it queues them again).
 */
export function watchesBinder(s: SocketSpec): boolean {
  return isSinglePeerSender(s.type) || ((s.type === "sub" || s.type === "xsub") && s.subscriptions.length > 0);
}

/** Can `s` close during the run (a close op, or its thread exiting)? */
export function mayClose(x: Interleaving, s: SocketSpec): boolean {
  return x.programs.some((p) => p.ops.some((op) => (op.kind === "close" && op.socket === s.id) || (op.kind === "exit" && p.actor.thread === s.owner.thread)));
}

function byThread<T extends { spec: SocketSpec }>(items: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const it of items) out.set(it.spec.owner.thread, [...(out.get(it.spec.owner.thread) ?? []), it]);
  return out;
}

/** Which side of a link speaks first in the probe round trip. */
function initiator(a: SocketSpec, b: SocketSpec): [SocketSpec, SocketSpec] {
  const first = (t: SocketType) => t === "push" || t === "req" || t === "dealer";
  if (first(a.type) && !first(b.type)) return [a, b];
  if (first(b.type) && !first(a.type)) return [b, a];
  return a.role === "connect" ? [a, b] : [b, a];
}

/** Creates, binds, connects and joins every socket of `x`. */
export async function setUp(x: Interleaving, hostOf: HostOf, runId: string, timeoutMs: number): Promise<void> {
  const { sockets, transport } = x.scenario;
  const binders = sockets.filter((s) => s.role === "bind");
  const addressOf = new Map<string, string>();
  const bindPlans = binders.map((s) => plan(x, s, transport === "inproc" ? `inproc://zi-${runId}-${s.endpoint}` : "tcp://127.0.0.1:*"));
  await Promise.all(
    [...byThread(bindPlans)].map(async ([thread, plans]) => {
      const bound = await hostOf(thread).request({ cmd: "bind", plans });
      for (const [id, address] of Object.entries(bound)) addressOf.set(id, address);
    }),
  );
  const endpointAddress = new Map(binders.map((b) => [b.endpoint, addressOf.get(b.id) ?? ""] as const));
  const connectPlans = sockets.filter((s) => s.role === "connect").map((s) => plan(x, s, endpointAddress.get(s.endpoint) ?? ""));
  const threads = new Set(sockets.map((s) => s.owner.thread));
  // Each thread's connect ends by poking its own sockets; a binder with a connecter on
  // another thread attaches that connection only when it next processes commands.
  await Promise.all([...byThread(connectPlans)].map(([thread, plans]) => hostOf(thread).request({ cmd: "connect", plans })));
  const foreignLinked = new Set(binders.filter((b) => peersOf(x, b).some((c) => c.owner.thread !== b.owner.thread)).map((b) => b.owner.thread));
  await Promise.all([...foreignLinked].map((thread) => hostOf(thread).request({ cmd: "poke" })));

  // XPUB: receive the initial subscription frames (one per subscription of each subscriber).
  // A bound subscriber sends them once it has attached the XPUB's connection, which it does
  // when it next processes commands: keep poking every thread while frames are missing.
  const end = Date.now() + timeoutMs;
  for (const s of sockets.filter((t) => t.type === "xpub")) {
    let left = peersOf(x, s).reduce((n, p) => n + p.subscriptions.length, 0);
    for (let first = true; left > 0; first = false) {
      if (Date.now() > end) throw new KitError("INTERNAL", `set-up: ${s.id} is missing ${left} subscription frame(s) after ${timeoutMs} ms`);
      if (!first) await Promise.all([...threads].map((thread) => hostOf(thread).request({ cmd: "poke" })));
      left -= (await hostOf(s.owner.thread).request({ cmd: "drain-subscriptions", socket: s.id, count: left, timeoutMs: 5 })).length;
    }
  }
  if (transport === "tcp") await proveTcpJoins(x, hostOf, timeoutMs);
  else await proveRouterJoins(x, hostOf, timeoutMs);
}

/**
 * A ROUTER learns a peer's routing id from the pipe, lazily; until then a send to that peer
 * is dropped. Over inproc too, a round trip with each peer of a ROUTER proves it knows them.
 */
async function proveRouterJoins(x: Interleaving, hostOf: HostOf, timeoutMs: number): Promise<void> {
  const host = (s: SocketSpec) => hostOf(s.owner.thread);
  const seq = { next: 0 };
  for (const b of x.scenario.sockets.filter((s) => s.role === "bind")) {
    for (const c of peersOf(x, b)) if (b.type === "router" || c.type === "router") await roundTrip(b, c, host, timeoutMs, seq);
  }
}

async function proveTcpJoins(x: Interleaving, hostOf: HostOf, timeoutMs: number): Promise<void> {
  const host = (s: SocketSpec) => hostOf(s.owner.thread);
  const seq = { next: 0 };
  for (const b of x.scenario.sockets.filter((s) => s.role === "bind")) {
    const peers = peersOf(x, b);
    if (b.type === "pub") {
      await provePubJoins(b, peers, host, timeoutMs, seq);
      continue;
    }
    for (const c of peers) {
      if (c.type === "pub") await provePubJoins(c, [b], host, timeoutMs, seq);
      else if (b.type !== "xpub" && c.type !== "xpub") await roundTrip(b, c, host, timeoutMs, seq);
      // XPUB links are proven by their subscription frames.
    }
  }
}

async function roundTrip(b: SocketSpec, c: SocketSpec, host: (s: SocketSpec) => HostHandle, timeoutMs: number, seq: { next: number }): Promise<void> {
  const [first, second] = initiator(b, c);
  await host(first).request({ cmd: "probe-send", socket: first.id, topic: "", seq: seq.next++, ...(first.type === "router" ? { to: second.id } : {}) });
  await expectProbe(host(second), second.id, timeoutMs);
  if (canSend(second.type) && canRecv(first.type)) {
    await host(second).request({ cmd: "probe-send", socket: second.id, topic: "", seq: seq.next++, ...(second.type === "router" ? { to: first.id } : {}) });
    await expectProbe(host(first), first.id, timeoutMs);
  }
}

async function expectProbe(h: HostHandle, socket: string, timeoutMs: number): Promise<number> {
  const d = await h.request({ cmd: "probe-recv", socket, timeoutMs });
  if (d.kind !== "probe") throw new KitError("INTERNAL", `set-up: ${socket} received ${d.kind} instead of a probe`);
  return d.seq;
}

function silent(err: unknown): boolean {
  return KitError.is(err) && /nothing arrived/.test(err.message);
}

/**
 * PUB to SUB/XSUB over tcp: publish a probe on each subscriber's first topic until every one
 * has received one (its subscription reached the publisher), then let each take every later
 * probe that matches its topics, up to the last one sent; FIFO per pipe makes that exact.
 */
async function provePubJoins(pub: SocketSpec, peers: readonly SocketSpec[], host: (s: SocketSpec) => HostHandle, timeoutMs: number, seq: { next: number }): Promise<void> {
  const subs = peers.filter((p) => p.subscriptions.length > 0); // a subscriber of nothing receives nothing
  const sent: Array<{ seq: number; topic: string }> = [];
  const last = new Map<string, number>();
  const end = Date.now() + timeoutMs;
  // A subscription usually reaches the publisher within a millisecond or two: wait for each
  // round's probe briefly at first, then longer (a probe that comes late is taken later).
  let window = 2;
  let waiting = subs;
  while (waiting.length > 0) {
    if (Date.now() > end) throw new KitError("INTERNAL", `set-up: ${waiting.map((s) => s.id).join(", ")} never joined ${pub.id} within ${timeoutMs} ms`);
    for (const s of waiting) {
      const probe = { seq: seq.next++, topic: s.subscriptions[0] ?? "" };
      sent.push(probe);
      await host(pub).request({ cmd: "probe-send", socket: pub.id, topic: probe.topic, seq: probe.seq });
    }
    const still: SocketSpec[] = [];
    for (const s of waiting) {
      try {
        last.set(s.id, await expectProbe(host(s), s.id, window));
      } catch (err) {
        if (!silent(err)) throw err;
        still.push(s);
      }
    }
    waiting = still;
    window = Math.min(50, 2 * window);
  }
  for (const s of subs) {
    const matching = sent.filter((p) => s.subscriptions.some((t) => p.topic.startsWith(t)));
    const target = matching[matching.length - 1]?.seq ?? -1;
    for (let got = last.get(s.id) ?? -1; got < target; ) got = await expectProbe(host(s), s.id, timeoutMs);
  }
}
