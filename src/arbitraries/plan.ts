import type { Random } from "fast-check";
import type { ActorId, Op, Scenario, SocketSpec } from "../interleaving/types.js";
import { canRecv, canSend, canSubscribe } from "../model/profile.js";
import type { ResolvedConstraints } from "./constraints.js";

/**
 * Programs that walk to their end: built from exchanges, each a send and the receive that takes
 * it (or, for REQ and REP, a whole request and reply), appended to the programs of the owners
 * of both sockets in one global order. Every receive then has its message, every REQ/REP keeps
 * its phase, and in the order the exchanges were drawn nothing waits for ever; in any other
 * order the counts still match, so no receive starves. Polls fill in, and a socket may close
 * once its owner is done with it. Each socket is used by its owner only.
 */

/** One exchange: the ops it adds, each to the program of its actor, in order. */
type Exchange = ReadonlyArray<readonly [ActorId, Op]>;

/** What the planner knows while it draws. */
export interface PlanDraw {
  readonly rng: Random;
  readonly c: ResolvedConstraints;
  readonly scenario: Scenario;
  /** Counter for distinct payloads (shared with other draws of the same interleaving). */
  sent: number;
}

function pick<T>(rng: Random, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.nextInt(0, items.length - 1)];
}

function peersOf(scenario: Scenario, s: SocketSpec): SocketSpec[] {
  return scenario.sockets.filter((p) => p.endpoint === s.endpoint && p.role !== s.role);
}

function payload(d: PlanDraw, prefix: string): string {
  return `${prefix}${d.sent++}`;
}

/** Run-time subscriptions the executor can time: not over tcp. */
function canSubscribeNow(d: PlanDraw): boolean {
  return !(d.c.executable && d.scenario.transport === "tcp");
}

/** The exchanges socket `s` (owned by the actor that draws) can start with its peer `p`. */
function exchangesFrom(d: PlanDraw, s: SocketSpec, p: SocketSpec): Exchange[] {
  const out: Exchange[] = [];
  const send = (from: SocketSpec, to: SocketSpec, text: string): Op => ({ kind: "send", socket: from.id, payload: text, nowait: false, ...(from.type === "router" ? { to: to.id } : {}) });
  const recv = (on: SocketSpec): Op => ({ kind: "recv", socket: on.id, nowait: false });
  const requester = s.type === "req" || (s.type === "dealer" && p.type === "rep");
  // A ROUTER names whom it answers when the plan is drawn, but its receive takes whichever
  // request came first: it answers a REQ only when that REQ is its one peer (a REQ drops a
  // reply that comes before its request).
  const answers = p.type === "rep" || (p.type === "router" && peersOf(d.scenario, p).length === 1);
  if (requester && answers) {
    // A whole request and reply: the REQ (or a DEALER to a REP) asks, the peer answers.
    out.push([
      [s.owner, send(s, p, payload(d, "q"))],
      [p.owner, recv(p)],
      [p.owner, send(p, s, payload(d, "r"))],
      [s.owner, recv(s)],
    ]);
    return out;
  }
  if (s.type === "req" || s.type === "rep" || p.type === "req" || p.type === "rep") return out;
  if (s.type === "pub" || s.type === "xpub") {
    // To a subscriber, on a topic it holds (every other matching subscriber gets one too).
    const topic = pick(d.rng, p.subscriptions);
    if (topic !== undefined && canRecv(p.type)) out.push([[s.owner, send(s, p, payload(d, topic))], [p.owner, recv(p)]]);
    return out;
  }
  if (canSubscribe(s.type) && p.type === "xpub" && canSubscribeNow(d)) {
    const topic = pick(d.rng, d.c.topics) ?? "a";
    out.push([[s.owner, { kind: "subscribe", socket: s.id, topic }], [p.owner, recv(p)]]);
    return out;
  }
  if (canSend(s.type) && canRecv(p.type) && !canSubscribe(p.type)) out.push([[s.owner, send(s, p, payload(d, "m"))], [p.owner, recv(p)]]);
  return out;
}

/** Every exchange an actor can start from the sockets it owns. */
function exchangesOf(d: PlanDraw, actor: ActorId, sockets: readonly SocketSpec[]): Exchange[] {
  const mine = sockets.filter((s) => s.owner.thread === actor.thread && s.owner.task === actor.task);
  return mine.flatMap((s) => peersOf(d.scenario, s).flatMap((p) => exchangesFrom(d, s, p)));
}

/** The planner's answer for one actor's next slot. */
export type Planned = { readonly kind: "exchange"; readonly ops: Exchange } | { readonly kind: "op"; readonly op: Op } | null;

/**
 * The next planned step for `actor`, given how many ops each actor may still take (`room`):
 * an exchange it starts (or takes part in) whose every actor has room, or else a poll on a
 * socket it owns; null when neither fits.
 */
export function planStep(d: PlanDraw, actor: ActorId, room: (a: ActorId, n: number) => boolean, open: readonly SocketSpec[]): Planned {
  const { rng, c } = d;
  const fits = (x: Exchange): boolean => {
    const need = new Map<string, { actor: ActorId; n: number }>();
    for (const [a] of x) {
      const k = `${a.thread}/${a.task}`;
      need.set(k, { actor: a, n: (need.get(k)?.n ?? 0) + 1 });
    }
    return [...need.values()].every((e) => room(e.actor, e.n));
  };
  const mine = open.filter((s) => s.owner.thread === actor.thread && s.owner.task === actor.task);
  // Exchanges this actor starts, and those its sockets' peers start with it.
  const starts = exchangesOf(d, actor, open).filter(fits);
  const joins = mine.flatMap((s) => peersOf(d.scenario, s).filter((p) => open.includes(p)).flatMap((p) => exchangesFrom(d, p, s))).filter(fits);
  const exchanges = [...starts, ...joins];
  const polls = mine.filter(() => c.weights.poll > 0);
  const wExchange = exchanges.length > 0 ? c.weights.send + c.weights.recv : 0;
  const wPoll = polls.length > 0 ? c.weights.poll : 0;
  if (wExchange + wPoll <= 0) return null;
  if (rng.nextDouble() * (wExchange + wPoll) < wExchange) {
    const x = pick(rng, exchanges);
    return x === undefined ? null : { kind: "exchange", ops: x };
  }
  const s = pick(rng, polls);
  return s === undefined ? null : { kind: "op", op: { kind: "poll", socket: s.id, event: rng.nextInt(0, 3) === 0 ? "writable" : "readable" } };
}

/**
 * May `s` close at the end of its owner's program without stranding anyone? Not a tcp binder:
 * its connecters would queue messages or subscriptions for a reconnect that never comes.
 */
export function closesCleanly(scenario: Scenario, s: SocketSpec): boolean {
  return !(scenario.transport === "tcp" && s.role === "bind" && peersOf(scenario, s).length > 0);
}
