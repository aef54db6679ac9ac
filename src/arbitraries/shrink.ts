import { compareActors, sameActor } from "../interleaving/actor.js";
import type { ActorId, Interleaving, Op, Program, Schedule, SocketSpec } from "../interleaving/types.js";
import { interleavingProblems } from "../interleaving/validate.js";
import { canLink, isSinglePeerSender } from "../model/profile.js";
import { racesField } from "../model/race-choices.js";
import { issueOrder, retime } from "./retime.js";

/**
 * Shrink candidates for interleavings, in the order that makes counterexamples small fast:
 * drop actors, drop ops, drop sockets, lower schedule choices toward 0, then simplify
 * payloads and options. Every candidate is valid and strictly smaller than its source.
 */

function key(a: ActorId): string {
  return `${a.thread}/${a.task}`;
}

function opSocketIds(op: Op): string[] {
  if (op.kind === "exit") return [];
  if (op.kind === "send" && op.to !== undefined) return [op.socket, op.to];
  return [op.socket];
}

/** Makes tasks 0.. on each thread and worker threads 1.. contiguous, keeping order; main stays 0. */
export function renumber(x: Interleaving): Interleaving {
  const actors = x.programs.map((p) => p.actor).sort(compareActors);
  const threads = [...new Set(actors.map((a) => a.thread))].filter((t) => t !== 0);
  const map = new Map<string, ActorId>();
  for (const a of actors) {
    const thread = a.thread === 0 ? 0 : threads.indexOf(a.thread) + 1;
    const task = actors.filter((b) => b.thread === a.thread && b.task < a.task).length;
    map.set(key(a), { thread, task });
  }
  const to = (a: ActorId): ActorId => map.get(key(a)) ?? a;
  if ([...map].every(([k, a]) => k === key(a))) return x;
  return {
    scenario: { ...x.scenario, sockets: x.scenario.sockets.map((s) => ({ ...s, owner: to(s.owner) })) },
    programs: x.programs.map((p) => ({ actor: to(p.actor), ops: p.ops.map((op) => (op.kind === "handoff" ? { ...op, to: to(op.to) } : op)) })),
    schedule: x.schedule,
    ...racesField(x.races),
  };
}

/** Fixes links after sockets were removed and drops ops that name missing sockets or actors. */
export function repair(x: Interleaving): Interleaving {
  const sockets: SocketSpec[] = [];
  const endpoints = [...new Set(x.scenario.sockets.map((s) => s.endpoint))];
  for (const e of endpoints) {
    const group = x.scenario.sockets.filter((s) => s.endpoint === e);
    let binder = group.find((s) => s.role === "bind");
    if (binder === undefined) {
      const first = group[0];
      if (first === undefined) continue;
      binder = { ...first, role: "bind" };
    }
    const b = binder;
    let connecters = group.filter((s) => s.role === "connect" && s.id !== b.id && canLink(b.type, s.type));
    if (isSinglePeerSender(b.type)) connecters = connecters.slice(0, 1);
    sockets.push(b, ...connecters);
  }
  const order = new Map(x.scenario.sockets.map((s, i) => [s.id, i] as const));
  sockets.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const ids = new Set(sockets.map((s) => s.id));
  const actors = new Set(x.programs.map((p) => key(p.actor)));
  const keep = (op: Op) => opSocketIds(op).every((id) => ids.has(id)) && (op.kind !== "handoff" || actors.has(key(op.to)));
  return {
    scenario: { ...x.scenario, sockets },
    programs: x.programs.map((p) => (p.ops.every(keep) ? p : { actor: p.actor, ops: p.ops.filter(keep) })),
    schedule: x.schedule,
    ...racesField(x.races),
  };
}

function withPrograms(x: Interleaving, programs: readonly Program[]): Interleaving {
  return { scenario: x.scenario, programs, schedule: x.schedule, ...racesField(x.races) };
}

function dropSockets(x: Interleaving, drop: (s: SocketSpec) => boolean): Interleaving {
  return repair({ ...x, scenario: { ...x.scenario, sockets: x.scenario.sockets.filter((s) => !drop(s)) } });
}

/** Candidates that remove one actor: its sockets go to a sibling task, or go away with it. */
function* dropActors(x: Interleaving): Generator<Interleaving> {
  for (let p = x.programs.length - 1; p >= 0; p--) {
    const actor = x.programs[p]?.actor;
    if (actor === undefined || x.programs.length <= 1) continue;
    const rest = x.programs.filter((_, q) => q !== p);
    const owned = x.scenario.sockets.some((s) => sameActor(s.owner, actor));
    const sibling = rest.find((q) => q.actor.thread === actor.thread)?.actor;
    if (sibling !== undefined || !owned) {
      const heir = sibling ?? actor;
      yield renumber(
        repair({
          scenario: { ...x.scenario, sockets: x.scenario.sockets.map((s) => (sameActor(s.owner, actor) ? { ...s, owner: heir } : s)) },
          programs: rest,
          schedule: x.schedule,
          ...racesField(x.races),
    ...racesField(x.races),
        }),
      );
    }
    if (owned) yield renumber(dropSockets(withPrograms(x, rest), (s) => sameActor(s.owner, actor)));
  }
  yield* mergeActors(x);
}

/** Candidates that fold one actor's ops into a sibling task on the same thread (one actor fewer). */
function* mergeActors(x: Interleaving): Generator<Interleaving> {
  for (let q = x.programs.length - 1; q >= 0; q--) {
    const from = x.programs[q];
    if (from === undefined) continue;
    for (let p = 0; p < x.programs.length; p++) {
      const into = x.programs[p];
      if (p === q || into === undefined || into.actor.thread !== from.actor.thread) continue;
      const heir = into.actor;
      const programs = x.programs.flatMap((prog, i) => (i === q ? [] : i === p ? [{ actor: heir, ops: [...into.ops, ...from.ops] }] : [prog]));
      const retarget = (op: Op): Op => (op.kind === "handoff" && sameActor(op.to, from.actor) ? { ...op, to: heir } : op);
      yield renumber(
        repair({
          scenario: { ...x.scenario, sockets: x.scenario.sockets.map((s) => (sameActor(s.owner, from.actor) ? { ...s, owner: heir } : s)) },
          programs: programs.map((prog) => ({ actor: prog.actor, ops: prog.ops.map(retarget) })),
          schedule: x.schedule,
          ...racesField(x.races),
    ...racesField(x.races),
        }),
      );
    }
  }
}

/** Candidates that remove ops: a program's tail first (big steps), then single ops. */
export function* dropOps(x: Interleaving): Generator<Interleaving> {
  for (let p = 0; p < x.programs.length; p++) {
    const prog = x.programs[p];
    if (prog === undefined) continue;
    for (let k = 0; k < prog.ops.length - 1; k++) {
      yield withPrograms(x, x.programs.map((q, i) => (i === p ? { actor: q.actor, ops: q.ops.slice(0, k) } : q)));
    }
  }
  for (let p = 0; p < x.programs.length; p++) {
    const prog = x.programs[p];
    if (prog === undefined) continue;
    for (let k = 0; k < prog.ops.length; k++) {
      yield withPrograms(x, x.programs.map((q, i) => (i === p ? { actor: q.actor, ops: q.ops.filter((_, j) => j !== k) } : q)));
    }
  }
}

/** Candidates that remove two ops at once (an op and the op that answered it often go together). */
function* dropOpPairs(x: Interleaving): Generator<Interleaving> {
  const all = x.programs.flatMap((p, i) => p.ops.map((_, k) => [i, k] as const));
  for (let a = 0; a < all.length; a++) {
    for (let b = a + 1; b < all.length; b++) {
      const [pa, ka] = all[a] ?? [0, 0];
      const [pb, kb] = all[b] ?? [0, 0];
      yield withPrograms(
        x,
        x.programs.map((q, i) => (i === pa || i === pb ? { actor: q.actor, ops: q.ops.filter((_, j) => !(i === pa && j === ka) && !(i === pb && j === kb)) } : q)),
      );
    }
  }
}

/** Candidates that remove one socket (a binder's first connecter takes its place) or a whole link. */
export function* dropSocketCandidates(x: Interleaving): Generator<Interleaving> {
  const endpoints = [...new Set(x.scenario.sockets.map((s) => s.endpoint))];
  if (endpoints.length > 1) for (const e of endpoints) yield dropSockets(x, (s) => s.endpoint === e);
  for (const s of x.scenario.sockets) yield dropSockets(x, (t) => t.id === s.id);
}

/** Candidates with fewer or lower choices: trailing zeros gone, one choice zeroed, removed, or lowered. */
export function* shrinkSchedule(sched: Schedule): Generator<number[]> {
  let end = sched.length;
  while (end > 0 && sched[end - 1] === 0) end--;
  if (end < sched.length) yield sched.slice(0, end);
  for (let k = 0; k < sched.length; k++) if (sched[k] !== 0) yield sched.map((c, i) => (i === k ? 0 : c));
  for (let k = 0; k < sched.length; k++) yield sched.filter((_, i) => i !== k);
  for (let k = 0; k < sched.length; k++) {
    const c = sched[k] ?? 0;
    if (c > 1) yield sched.map((d, i) => (i === k ? c - 1 : d));
  }
}

function* lowerSchedule(x: Interleaving): Generator<Interleaving> {
  for (const schedule of shrinkSchedule(x.schedule)) yield { scenario: x.scenario, programs: x.programs, schedule, ...racesField(x.races) };
}

/** Race choices toward the default outcome, as schedule choices are lowered. */
function* lowerRaces(x: Interleaving): Generator<Interleaving> {
  if ((x.races ?? []).some((c) => c !== 0)) yield { scenario: x.scenario, programs: x.programs, schedule: x.schedule };
  for (const races of shrinkSchedule(x.races ?? [])) yield { scenario: x.scenario, programs: x.programs, schedule: x.schedule, ...racesField(races) };
}

function mapOps(x: Interleaving, f: (op: Op) => Op | null): Generator<Interleaving> {
  return (function* () {
    for (let p = 0; p < x.programs.length; p++) {
      const prog = x.programs[p];
      if (prog === undefined) continue;
      for (let k = 0; k < prog.ops.length; k++) {
        const op = prog.ops[k];
        const next = op === undefined ? null : f(op);
        if (next === null) continue;
        yield withPrograms(x, x.programs.map((q, i) => (i === p ? { actor: q.actor, ops: q.ops.map((o, j) => (j === k ? next : o)) } : q)));
      }
    }
  })();
}

function* mapOpsMany(x: Interleaving, f: (op: Op) => readonly Op[]): Generator<Interleaving> {
  for (let p = 0; p < x.programs.length; p++) {
    const prog = x.programs[p];
    if (prog === undefined) continue;
    for (let k = 0; k < prog.ops.length; k++) {
      const op = prog.ops[k];
      for (const next of op === undefined ? [] : f(op)) {
        yield withPrograms(x, x.programs.map((q, i) => (i === p ? { actor: q.actor, ops: q.ops.map((o, j) => (j === k ? next : o)) } : q)));
      }
    }
  }
}

/** Candidates with simpler payloads, awaited ops, default options, fewer subscriptions. */
function* simplify(x: Interleaving): Generator<Interleaving> {
  yield* mapOps(x, (op) => ((op.kind === "send" || op.kind === "recv") && op.nowait ? { ...op, nowait: false } : null));
  yield* mapOps(x, (op) => (op.kind === "send" && op.payload.length > 1 ? { ...op, payload: op.payload.slice(0, -1) } : null));
  // An op that only needs to touch its socket: the plainest touch is a close.
  yield* mapOps(x, (op) => (op.kind === "send" && op.to !== undefined ? { kind: "poll", socket: op.socket, event: "readable" } : null));
  yield* mapOps(x, (op) => (op.kind === "send" && op.to !== undefined ? { kind: "close", socket: op.socket } : null));
  // Fewer distinct sockets: move an op to another socket of the same type, when that leaves
  // its socket unused (or, failing that, to an earlier one), so the measure always drops.
  const sockets0 = x.scenario.sockets;
  const uses = new Map<string, number>();
  for (const p of x.programs) for (const op of p.ops) if (op.kind !== "exit") uses.set(op.socket, (uses.get(op.socket) ?? 0) + 1);
  yield* mapOpsMany(x, (op) => {
    if (op.kind === "exit") return [];
    const at = sockets0.findIndex((t) => t.id === op.socket);
    const type = sockets0[at]?.type;
    const last = uses.get(op.socket) === 1;
    return sockets0.flatMap((t, j) => (t.type === type && j !== at && (last || j < at) ? [{ ...op, socket: t.id } as Op] : []));
  });
  // A receive is the plainest op that waits: a send that only waits becomes one.
  yield* mapOps(x, (op) => (op.kind === "send" && op.to === undefined ? { kind: "recv", socket: op.socket, nowait: op.nowait } : null));
  if (x.scenario.transport === "tcp") yield { ...x, scenario: { ...x.scenario, transport: "inproc" } };
  if (x.scenario.ownership === "task") yield { ...x, scenario: { ...x.scenario, ownership: "thread" } };
  const sockets = x.scenario.sockets;
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i];
    if (s === undefined) continue;
    const set = (t: SocketSpec) => ({ ...x, scenario: { ...x.scenario, sockets: sockets.map((u, j) => (j === i ? t : u)) } });
    if (s.linger !== -1) yield set({ ...s, linger: -1 });
    for (let k = 0; k < s.subscriptions.length; k++) yield set({ ...s, subscriptions: s.subscriptions.filter((_, j) => j !== k) });
  }
}

/**
 * Candidates that keep the ops and take preemptions away: no schedule at all, and, when the
 * very first choice picks another actor, the same run with that actor's program first.
 */
function* fewerPreemptions(x: Interleaving): Generator<Interleaving> {
  if (x.schedule.some((c) => c !== 0)) yield { ...x, schedule: [] };
  const first = x.schedule[0] ?? 0;
  const ready = x.programs.flatMap((p, i) => (p.ops.length > 0 ? [i] : []));
  const chosen = ready.length > 1 ? ready[first % ready.length] : undefined;
  const head = ready[0];
  if (first === 0 || chosen === undefined || head === undefined || chosen === head) return;
  const a = x.programs[head];
  const b = x.programs[chosen];
  if (a === undefined || b === undefined) return;
  const programs = x.programs.map((p, i) => (i === head ? { actor: p.actor, ops: b.ops } : i === chosen ? { actor: p.actor, ops: a.ops } : p));
  const owners = new Map([[key(a.actor), b.actor], [key(b.actor), a.actor]]);
  const swap = (actor: ActorId) => owners.get(key(actor)) ?? actor;
  yield {
    scenario: { ...x.scenario, sockets: x.scenario.sockets.map((s) => ({ ...s, owner: swap(s.owner) })) },
    programs: programs.map((p) => ({ actor: p.actor, ops: p.ops.map((op) => (op.kind === "handoff" ? { ...op, to: swap(op.to) } : op)) })),
    schedule: [0, ...x.schedule.slice(1)],
    ...racesField(x.races),
  };
}

/** Every shrink candidate of `x`, valid ones only, in shrinking order. */
export function* shrinkInterleaving(x: Interleaving): Generator<Interleaving> {
  const order = issueOrder(x);
  const structural = [dropActors(x), dropOps(x), dropSocketCandidates(x), dropOpPairs(x)];
  for (const candidate of fewerPreemptions(x)) if (valid(candidate)) yield candidate;
  for (const stream of structural) {
    for (const candidate of stream) {
      if (!valid(candidate)) continue;
      // The same ops in the order they had first (removing an op shifts later choices), then as is.
      const retimed = retime(candidate, order);
      if (!sameSchedule(retimed.schedule, candidate.schedule)) yield retimed;
      yield candidate;
    }
  }
  for (const stream of [lowerSchedule(x), lowerRaces(x), simplify(x)]) {
    for (const candidate of stream) if (valid(candidate)) yield candidate;
  }
}

function valid(x: Interleaving): boolean {
  return interleavingProblems(x).length === 0;
}

function sameSchedule(a: Schedule, b: Schedule): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
