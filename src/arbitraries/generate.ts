import type { Random } from "fast-check";
import { sameActor } from "../interleaving/actor.js";
import type { ActorId, Interleaving, Op, OpKind, Program, Scenario, SocketSpec, SocketType } from "../interleaving/types.js";
import { canLink, canRecv, canSend, canSubscribe, isSinglePeerSender, linkPartners } from "../model/profile.js";
import { checkInterleaving } from "../model/check.js";
import { racesField } from "../model/race-choices.js";
import { createStrategy } from "../schedule/create.js";
import type { ResolvedConstraints } from "./constraints.js";
import { closesCleanly, planStep } from "./plan.js";

/** Draws scenarios, programs and schedules from a fast-check `Random`. */

function pick<T>(rng: Random, items: readonly T[]): T {
  const item = items[rng.nextInt(0, items.length - 1)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

function chance(rng: Random, p: number): boolean {
  return p > 0 && rng.nextDouble() < p;
}

function weighted<T extends string>(rng: Random, weights: ReadonlyArray<readonly [T, number]>): T | null {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) return null;
  let r = rng.nextDouble() * total;
  for (const [k, w] of weights) {
    r -= w;
    if (r < 0) return k;
  }
  return weights[weights.length - 1]?.[0] ?? null;
}

/** Actors of a generated run: 1..threads threads, 1..tasksPerThread tasks each, in order. */
export function drawActors(rng: Random, c: ResolvedConstraints): ActorId[] {
  const threads = rng.nextInt(c.minThreads, c.threads);
  const actors: ActorId[] = [];
  for (let thread = 0; thread < threads; thread++) {
    const tasks = rng.nextInt(c.minTasksPerThread, c.tasksPerThread);
    for (let task = 0; task < tasks; task++) actors.push({ thread, task });
  }
  return actors;
}

/** A scenario whose sockets are owned by `actors`. */
export function drawScenario(rng: Random, c: ResolvedConstraints, actors: readonly ActorId[]): Scenario {
  const transport = c.transport === "any" ? (rng.nextBoolean() ? "tcp" : "inproc") : c.transport;
  const ownership = c.owner === "any" ? (rng.nextBoolean() ? "task" : "thread") : c.owner;
  const types = c.socketTypes.filter((t) => linkPartners(t).some((p) => c.socketTypes.includes(p)));
  const sockets: SocketSpec[] = [];
  const links = rng.nextInt(1, c.maxLinks);
  // The first sockets go to distinct actors, in a random order, so that every actor owns one
  // where there are enough sockets; the rest go to any actor.
  const cover = actors.slice();
  for (let k = cover.length - 1; k > 0; k--) {
    const j = rng.nextInt(0, k);
    [cover[k], cover[j]] = [cover[j] as ActorId, cover[k] as ActorId];
  }
  const spec = (type: SocketType, role: "bind" | "connect", endpoint: string): SocketSpec => ({
    id: `s${sockets.length}`,
    type,
    owner: cover[sockets.length] ?? pick(rng, actors),
    endpoint,
    role,
    subscriptions: canSubscribe(type) ? c.topics.filter(() => rng.nextBoolean()) : [],
    linger: transport === "inproc" && chance(rng, c.lingerZero) ? 0 : -1,
  });
  for (let l = 0; l < links; l++) {
    const endpoint = `e${l}`;
    if (types.length === 0) {
      // No linkable pair among the allowed types: a lone bound socket.
      sockets.push(spec(pick(rng, c.socketTypes), "bind", endpoint));
      continue;
    }
    const binderType = pick(rng, types);
    const partners = linkPartners(binderType).filter((t) => c.socketTypes.includes(t));
    sockets.push(spec(binderType, "bind", endpoint));
    const single = isSinglePeerSender(binderType);
    const peers = chance(rng, 0.1) ? 0 : rng.nextInt(1, single ? 1 : c.maxPeers);
    for (let k = 0; k < peers; k++) {
      const type = pick(rng, partners);
      if (canLink(binderType, type)) sockets.push(spec(type, "connect", endpoint));
    }
  }
  return { ownership, transport, sockets };
}

function sameUnit(scenario: Scenario, actor: ActorId, s: SocketSpec): boolean {
  return scenario.ownership === "thread" ? s.owner.thread === actor.thread : sameActor(s.owner, actor);
}

const SOCKET_KINDS = ["send", "recv", "poll", "close", "subscribe", "unsubscribe", "handoff"] as const;
type SocketKind = (typeof SOCKET_KINDS)[number];

/** Bit k set when SOCKET_KINDS[k] applies to the socket. */
function kindMask(s: SocketSpec): number {
  let mask = 0;
  SOCKET_KINDS.forEach((kind, k) => {
    const fits =
      kind === "send" ? canSend(s.type) : kind === "recv" ? canRecv(s.type) : kind === "subscribe" || kind === "unsubscribe" ? canSubscribe(s.type) : true;
    if (fits) mask |= 1 << k;
  });
  return mask;
}

interface ProgramDraw {
  readonly rng: Random;
  readonly c: ResolvedConstraints;
  readonly scenario: Scenario;
  readonly actors: readonly ActorId[];
  readonly masks: ReadonlyMap<string, number>;
  /** Counter for distinct payloads. */
  sent: number;
}

function union(d: ProgramDraw, pool: readonly SocketSpec[]): number {
  let mask = 0;
  for (const s of pool) mask |= d.masks.get(s.id) ?? 0;
  return mask;
}

interface Pools {
  own: SocketSpec[];
  readonly foreign: readonly SocketSpec[];
  readonly hot: readonly SocketSpec[];
}

/** Under `executable`, kinds the real executor cannot time are left out. */
function runnable(d: ProgramDraw, kind: SocketKind, pool: readonly SocketSpec[]): boolean {
  if (!d.c.executable) return true;
  if ((kind === "subscribe" || kind === "unsubscribe") && d.scenario.transport === "tcp") return false;
  return kind !== "unsubscribe" || pool.some((s) => s.type === "xsub");
}

function drawOp(d: ProgramDraw, actor: ActorId, pools: Pools, canExit: boolean): Op | null {
  const { rng, c, scenario, actors } = d;
  const respect = c.ownership === "respect";
  // Under "violate", aim most ops at one shared "hot" socket (overlapping use) or at sockets
  // another task holds (foreign use).
  let pool: readonly SocketSpec[] = pools.own;
  if (c.ownership === "violate") {
    const r = rng.nextDouble();
    if (r < 0.5 && pools.hot.length > 0) pool = pools.hot;
    else if (r < 0.75 && pools.foreign.length > 0) pool = pools.foreign;
  }
  const mask = union(d, pool);
  const weights: Array<readonly [OpKind, number]> = [];
  SOCKET_KINDS.forEach((kind, k) => {
    if ((mask & (1 << k)) === 0 || (respect && kind === "handoff") || !runnable(d, kind, pool)) return;
    weights.push([kind, c.weights[kind]]);
  });
  if (canExit) weights.push(["exit", c.weights.exit]);
  const kind = weighted(rng, weights);
  if (kind === null) return null;
  if (kind === "exit") return { kind: "exit" };
  const bit = 1 << SOCKET_KINDS.indexOf(kind as SocketKind);
  const s = pick(rng, pool.filter((p) => ((d.masks.get(p.id) ?? 0) & bit) !== 0 && !(d.c.executable && kind === "unsubscribe" && p.type === "sub")));
  switch (kind) {
    case "send": {
      const prefix = s.type === "pub" || s.type === "xpub" ? pick(rng, c.topics) : "m";
      const payload = `${prefix}${d.sent++}`;
      const nowait = chance(rng, c.nowait.send);
      if (s.type !== "router") return { kind: "send", socket: s.id, payload, nowait };
      // Over tcp a REQ may or may not have dropped an unasked-for reply when it sends (it drops
      // only what already arrived): runs meant for the executor leave REQ peers out.
      const reqTiming = c.executable && scenario.transport === "tcp";
      const peers = scenario.sockets.filter((p) => p.endpoint === s.endpoint && p.role !== s.role && !(reqTiming && p.type === "req"));
      if (peers.length === 0) return null;
      return { kind: "send", socket: s.id, payload, nowait, to: pick(rng, peers).id };
    }
    case "recv":
      return { kind: "recv", socket: s.id, nowait: chance(rng, c.nowait.recv) };
    case "poll":
      return { kind: "poll", socket: s.id, event: rng.nextInt(0, 3) === 0 ? "writable" : "readable" };
    case "close":
      if (respect) pools.own = pools.own.filter((p) => p !== s);
      return { kind: "close", socket: s.id };
    case "subscribe":
    case "unsubscribe":
      return { kind, socket: s.id, topic: pick(rng, c.topics) };
    case "handoff": {
      const others = actors.filter((a) => !sameActor(a, actor));
      if (others.length === 0) return null;
      return { kind: "handoff", socket: s.id, to: pick(rng, others) };
    }
  }
}

/** Chance that a socket its owner is done with closes at the end of the owner's program. */
function closeChance(c: ResolvedConstraints): number {
  return Math.min(0.5, c.weights.close / 4);
}

/**
 * One program per actor. Every program follows a plan that walks to its end (see plan.ts):
 * sends matched by receives, whole requests and replies, polls, closes after the last use.
 * Under `"any"` and `"violate"`, each op is instead drawn without the discipline with chance
 * `violationRate` (any socket, any kind, steered towards foreign and overlapping use under
 * `"violate"`), so the first violation can come at any depth.
 */
export function drawPrograms(rng: Random, c: ResolvedConstraints, scenario: Scenario, actors: readonly ActorId[]): Program[] {
  const masks = new Map(scenario.sockets.map((s) => [s.id, kindMask(s)] as const));
  const d: ProgramDraw = { rng, c, scenario, actors, masks, sent: 0 };
  const respect = c.ownership === "respect";
  const receivers = scenario.sockets.filter((s) => canRecv(s.type));
  const hotPool = receivers.length > 0 ? receivers : scenario.sockets;
  const hot = c.ownership === "violate" && hotPool.length > 0 ? [pick(rng, hotPool)] : [];
  const key = (a: ActorId) => `${a.thread}/${a.task}`;
  const at = new Map(actors.map((a, i) => [key(a), i] as const));
  const quota = actors.map(() => rng.nextInt(c.minOps, c.maxOps));
  const ops: Op[][] = actors.map(() => []);
  const done = actors.map(() => false);
  // Closes (or a lone worker task's exit) come last; their slots are kept for them.
  const ending: Op[][] = actors.map((actor, i) => {
    const mine = scenario.sockets.filter((s) => sameActor(s.owner, actor) && closesCleanly(scenario, s));
    const aloneOnWorker = actor.thread > 0 && actors.filter((a) => a.thread === actor.thread).length === 1;
    const all = scenario.sockets.filter((s) => s.owner.thread === actor.thread);
    if (aloneOnWorker && (quota[i] ?? 0) > 1 && chance(rng, c.weights.exit / 8) && all.every((s) => closesCleanly(scenario, s))) return [{ kind: "exit" }];
    const out: Op[] = [];
    for (const s of mine) if (out.length + 1 < (quota[i] ?? 0) && chance(rng, closeChance(c))) out.push({ kind: "close", socket: s.id });
    return out;
  });
  const room = (a: ActorId, n: number): boolean => {
    const i = at.get(key(a));
    return i !== undefined && !(done[i] ?? true) && (ops[i]?.length ?? 0) + n + (ending[i]?.length ?? 0) <= (quota[i] ?? 0);
  };
  const pools = actors.map((actor) => ({
    hot,
    own: scenario.sockets.slice(),
    foreign: c.ownership === "violate" ? scenario.sockets.filter((s) => !sameUnit(scenario, actor, s) || !sameActor(s.owner, actor)) : [],
  }));
  const plan = { rng, c, scenario, sent: 0 };
  for (;;) {
    const open = actors.flatMap((a, i) => (room(a, 1) ? [i] : []));
    const i = open.length === 0 ? undefined : open[rng.nextInt(0, open.length - 1)];
    const actor = i === undefined ? undefined : actors[i];
    if (i === undefined || actor === undefined) break;
    const mine = ops[i] as Op[];
    if (!respect && chance(rng, c.violationRate)) {
      d.sent = Math.max(d.sent, plan.sent);
      const op = drawOp(d, actor, pools[i] as Pools, actor.thread > 0);
      plan.sent = d.sent;
      if (op === null) done[i] = true;
      else {
        mine.push(op);
        if (op.kind === "exit") done[i] = true;
      }
      continue;
    }
    const step = planStep(plan, actor, room, scenario.sockets);
    if (step === null) done[i] = true;
    else if (step.kind === "op") mine.push(step.op);
    else for (const [a, op] of step.ops) ops[at.get(key(a)) ?? -1]?.push(op);
  }
  return actors.map((actor, i) => {
    const body = ops[i] ?? [];
    const exited = body.some((op) => op.kind === "exit");
    return { actor, ops: exited ? body : [...body, ...(ending[i] ?? [])] };
  });
}

/** A schedule: mostly zeros (keep running), non-zero with the preemption rate. */
export function drawSchedule(rng: Random, c: ResolvedConstraints, programs: readonly Program[]): number[] {
  const ops = programs.reduce((sum, p) => sum + p.ops.length, 0);
  const max = Math.min(c.maxSchedule ?? ops, Math.max(ops, 0));
  const length = rng.nextInt(0, max);
  const choices = Math.max(1, programs.length - 1);
  const out: number[] = [];
  for (let k = 0; k < length; k++) out.push(chance(rng, c.preemptionRate) ? rng.nextInt(1, choices) : 0);
  return out;
}

function trimZeros(list: readonly number[]): number[] {
  let end = list.length;
  while (end > 0 && list[end - 1] === 0) end--;
  return list.slice(0, end);
}

/** The schedule and race choices a strategy picks on the model for `x`'s programs (one run). */
export function strategySchedule(rng: Random, spec: NonNullable<ResolvedConstraints["strategy"]>, x: Interleaving): Interleaving {
  const ops = x.programs.reduce((sum, p) => sum + p.ops.length, 0);
  const strategy = createStrategy(spec.strategy === "pct" ? { steps: Math.max(1, ops), ...spec } : spec);
  const selector = strategy.begin(rng);
  if (selector === null) return x;
  const { trace } = checkInterleaving(x, { validate: false, history: false, selector });
  return { scenario: x.scenario, programs: x.programs, schedule: trimZeros(trace.schedule), ...racesField(trimZeros(trace.races)) };
}

/** A whole interleaving. */
export function drawInterleaving(rng: Random, c: ResolvedConstraints): Interleaving {
  const actors = drawActors(rng, c);
  const scenario = drawScenario(rng, c, actors);
  const programs = drawPrograms(rng, c, scenario, actors);
  if (c.strategy !== null) return strategySchedule(rng, c.strategy, { scenario, programs, schedule: [] });
  return { scenario, programs, schedule: drawSchedule(rng, c, programs) };
}
