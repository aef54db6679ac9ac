import { actorName } from "../interleaving/actor.js";
import type { ActorId, History, Op, Scenario, SocketSpec } from "../interleaving/types.js";
import { subscriptionFrame } from "./profile.js";

/**
 * Delivery invariants over a history, checked independently of the model's engine: every
 * message received was sent to that receiver (no phantom, topic filtering and routing
 * respected), at most once (no duplicate), in send order per (sender, receiver) pipe with
 * no gap (FIFO, no loss), and no receive left waiting while a message sent to it was never
 * taken (no loss at the end). XPUB subscription frames count as messages from the subscriber.
 */

/** One broken delivery invariant. */
export interface DeliveryProblem {
  readonly kind: "phantom" | "filtered" | "duplicate" | "fifo" | "loss";
  readonly receiver: string;
  readonly sender: string | null;
  readonly payload: string | null;
  /** History position of the event that shows it (-1: the end of the run). */
  readonly at: number;
  readonly message: string;
}

/** Result of `checkDelivery`. */
export type DeliveryVerdict = { readonly kind: "ok" } | { readonly kind: "broken"; readonly problems: readonly DeliveryProblem[] };

interface Pipe {
  readonly sent: string[];
  taken: number;
}

function actorKey(a: ActorId): string {
  return `${a.thread}/${a.task}`;
}

/** Options of `checkDelivery`. */
export interface DeliveryOptions {
  /**
   * The history runs to the end (default true). A run stopped at a violation ends mid-turn,
   * before pending receives could take what arrived, so the end-of-run loss check is skipped.
   */
  readonly complete?: boolean;
}

/** Checks the delivery invariants of `history` (real or predicted) for `scenario`. */
export function checkDelivery(scenario: Scenario, history: History, options: DeliveryOptions = {}): DeliveryVerdict {
  const specs = new Map(scenario.sockets.map((s) => [s.id, s] as const));
  const peers = (s: SocketSpec) => scenario.sockets.filter((t) => t.endpoint === s.endpoint && t.role !== s.role);
  const closed = new Set<string>();
  const owner = new Map(scenario.sockets.map((s) => [s.id, s.owner.thread] as const));
  const subs = new Map(scenario.sockets.map((s) => [s.id, s.subscriptions.slice()] as const));
  const replyTo = new Map<string, string>();
  /** REQ/REP sockets that may take a message now (REQ after a request, REP before a reply). */
  const mayTake = new Set(scenario.sockets.filter((s) => s.type === "rep").map((s) => s.id));
  const pipes = new Map<string, Pipe>();
  const sentBy = new Map<string, string[]>();
  const invoked = new Map<string, Op>();
  const pendingRecv = new Map<string, string>();
  const lost = new Set<string>();
  const problems: DeliveryProblem[] = [];

  const pipe = (from: string, to: string): Pipe => {
    const k = `${from}>${to}`;
    let p = pipes.get(k);
    if (p === undefined) pipes.set(k, (p = { sent: [], taken: 0 }));
    return p;
  };
  const deliver = (from: string, to: string | undefined, payload: string) => {
    if (to === undefined || closed.has(to)) return;
    pipe(from, to).sent.push(payload);
  };
  const xpubPeers = (s: SocketSpec) => peers(s).filter((p) => p.type === "xpub");
  // A tcp connecter keeps its pipe when its binder goes, so an XPUB there hears no unsubscription.
  const hearsClose = (p: SocketSpec) => !(scenario.transport === "tcp" && p.role === "connect");
  const close = (id: string) => {
    if (closed.has(id)) return;
    const s = specs.get(id);
    if (s !== undefined && (s.type === "sub" || s.type === "xsub")) {
      for (const p of xpubPeers(s).filter(hearsClose)) for (const t of [...new Set(subs.get(id) ?? [])].sort()) deliver(id, p.id, subscriptionFrame(false, t));
    }
    closed.add(id);
  };

  history.forEach((e, at) => {
    const k = `${actorKey(e.actor)}#${e.index}`;
    if (e.kind === "invoke") {
      invoked.set(k, e.op);
      if (e.op.kind === "recv") pendingRecv.set(e.op.socket, k);
      if (e.op.kind === "poll" && pendingRecv.has(e.op.socket)) lost.add(e.op.socket);
      return;
    }
    const op = invoked.get(k);
    if (op === undefined) return;
    if (op.kind === "recv" && pendingRecv.get(op.socket) === k) pendingRecv.delete(op.socket);
    if (op.kind === "recv") lost.delete(op.socket);
    if (e.result.kind === "error") return;
    if (op.kind === "exit") {
      for (const [id, thread] of owner) if (thread === e.actor.thread) close(id);
      return;
    }
    const s = specs.get(op.socket);
    if (s === undefined) return;
    switch (op.kind) {
      case "send": {
        sentBy.set(s.id, [...(sentBy.get(s.id) ?? []), op.payload]);
        if (s.type === "req") {
          mayTake.add(s.id);
          // A REQ drops whatever waits for it when it sends a new request.
          for (const [k, p] of pipes) if (k.endsWith(`>${s.id}`)) p.taken = p.sent.length;
        }
        if (s.type === "rep") mayTake.add(s.id);
        if (s.type === "pub" || s.type === "xpub") {
          for (const p of peers(s)) if ((subs.get(p.id) ?? []).some((t) => op.payload.startsWith(t))) deliver(s.id, p.id, op.payload);
        } else if (s.type === "router") deliver(s.id, op.to, op.payload);
        else if (s.type === "rep") {
          deliver(s.id, replyTo.get(s.id), op.payload);
          replyTo.delete(s.id);
        } else deliver(s.id, peers(s)[0]?.id, op.payload);
        return;
      }
      case "subscribe":
      case "unsubscribe": {
        const list = subs.get(s.id) ?? [];
        if (op.kind === "subscribe") list.push(op.topic);
        else {
          const i = list.indexOf(op.topic);
          if (i < 0) return;
          list.splice(i, 1);
          if (list.includes(op.topic)) return;
        }
        for (const p of xpubPeers(s)) deliver(s.id, p.id, subscriptionFrame(op.kind === "subscribe", op.topic));
        return;
      }
      case "close":
        close(s.id);
        return;
      case "handoff":
        owner.set(s.id, op.to.thread);
        return;
      case "recv": {
        if (e.result.kind !== "message") return;
        const { payload, from } = e.result;
        if (s.type === "rep") replyTo.set(s.id, from);
        if (s.type === "req" || s.type === "rep") mayTake.delete(s.id);
        const p = pipe(from, s.id);
        const problem = (kind: DeliveryProblem["kind"], message: string) =>
          problems.push({ kind, receiver: s.id, sender: from, payload, at, message: `${actorName(e.actor)} received ${JSON.stringify(payload)} from ${from} on ${s.id}: ${message}` });
        if (p.sent[p.taken] === payload) {
          p.taken++;
          return;
        }
        const ahead = p.sent.indexOf(payload, p.taken);
        if (ahead >= 0) {
          problem("fifo", `${from} sent ${JSON.stringify(p.sent[p.taken])} to it first; messages were skipped or reordered`);
          p.taken = ahead + 1;
        } else if (p.sent.slice(0, p.taken).includes(payload)) problem("duplicate", "it was already received");
        else if ((sentBy.get(from) ?? []).includes(payload)) problem("filtered", `${from} sent it, but not to ${s.id} (subscriptions or routing exclude it)`);
        else problem("phantom", `${from} never sent it`);
        return;
      }
      case "poll":
        return;
    }
  });

  if (options.complete === false) return problems.length === 0 ? { kind: "ok" } : { kind: "broken", problems };
  for (const [socket] of pendingRecv) {
    if (closed.has(socket) || lost.has(socket)) continue;
    for (const [k, p] of pipes) {
      if (!k.endsWith(`>${socket}`) || p.taken >= p.sent.length) continue;
      const sender = k.slice(0, k.indexOf(">"));
      const type = specs.get(socket)?.type;
      // A REQ or REP in the other phase cannot take what waits for it.
      if ((type === "req" || type === "rep") && !mayTake.has(socket)) continue;
      problems.push({
        kind: "loss",
        receiver: socket,
        sender,
        payload: p.sent[p.taken] ?? null,
        at: -1,
        message: `a receive on ${socket} is still pending although ${sender} sent it ${p.sent.length - p.taken} message(s) that never arrived`,
      });
    }
  }
  return problems.length === 0 ? { kind: "ok" } : { kind: "broken", problems };
}
