import { showValue } from "../input/show.js";
import { InvalidInterleavingError, type Problem } from "../errors.js";
import { canLink, canRecv, canSend, canSubscribe, isSinglePeerSender } from "../model/profile.js";
import { actorName } from "./actor.js";
import { OP_KINDS, SOCKET_TYPES, type Interleaving, type SocketSpec, type SocketType } from "./types.js";

/**
 * Structural and semantic checks of an interleaving given as unknown data (parsed JSON,
 * user input, a shrunk value). Every problem is reported with a path and what to do.
 */

/** Largest thread number and task number an actor may have. */
export const MAX_THREAD = 63;
/** Largest task number on one thread. */
export const MAX_TASK = 1023;
/** Longest payload or topic, in characters. */
export const MAX_TEXT = 4096;

const ID = /^[a-z][a-z0-9_]*$/;

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isActor(x: unknown): x is { thread: number; task: number } {
  return (
    isRec(x) &&
    Number.isInteger(x.thread) &&
    Number.isInteger(x.task) &&
    (x.thread as number) >= 0 &&
    (x.thread as number) <= MAX_THREAD &&
    (x.task as number) >= 0 &&
    (x.task as number) <= MAX_TASK
  );
}

const ACTOR_HINT = `an actor is { thread, task } with integers 0 <= thread <= ${MAX_THREAD} (0 = main) and 0 <= task <= ${MAX_TASK}`;

function textProblem(x: unknown, what: string): string | null {
  if (typeof x !== "string") return `${what} must be a string`;
  if (x.length > MAX_TEXT) return `${what} is ${x.length} characters; keep it under ${MAX_TEXT}`;
  // biome-ignore lint: control characters are what this rejects
  if (/[\u0000-\u001f\u007f]/.test(x)) return `${what} contains a control character; use printable text`;
  return null;
}

function checkSockets(sockets: unknown, out: Problem[]): SocketSpec[] {
  if (!Array.isArray(sockets)) {
    out.push({ path: "scenario.sockets", message: "must be an array of socket specs" });
    return [];
  }
  const good: SocketSpec[] = [];
  const seen = new Set<string>();
  sockets.forEach((s: unknown, i) => {
    const path = `scenario.sockets[${i}]`;
    if (!isRec(s)) return out.push({ path, message: "must be an object { id, type, owner, endpoint, role, subscriptions, linger }" });
    const before = out.length;
    if (typeof s.id !== "string" || !ID.test(s.id)) out.push({ path: `${path}.id`, message: `must match ${ID} (e.g. "s0"), got ${showValue(s.id)}` });
    else if (seen.has(s.id)) out.push({ path: `${path}.id`, message: `duplicate socket id "${s.id}"; ids must be unique` });
    else seen.add(s.id);
    if (!SOCKET_TYPES.includes(s.type as SocketType)) out.push({ path: `${path}.type`, message: `unknown socket type ${showValue(s.type)}; use one of ${SOCKET_TYPES.join(", ")}` });
    if (!isActor(s.owner)) out.push({ path: `${path}.owner`, message: `is not an actor: ${ACTOR_HINT}` });
    if (typeof s.endpoint !== "string" || !ID.test(s.endpoint)) out.push({ path: `${path}.endpoint`, message: `must be a logical name matching ${ID} (e.g. "e0"), got ${showValue(s.endpoint)}` });
    if (s.role !== "bind" && s.role !== "connect") out.push({ path: `${path}.role`, message: `must be "bind" or "connect", got ${showValue(s.role)}` });
    if (!Array.isArray(s.subscriptions)) out.push({ path: `${path}.subscriptions`, message: "must be an array of topics (empty for types that do not subscribe)" });
    else {
      s.subscriptions.forEach((t: unknown, k) => {
        const p = textProblem(t, "a topic");
        if (p !== null) out.push({ path: `${path}.subscriptions[${k}]`, message: p });
      });
      if (s.subscriptions.length > 0 && SOCKET_TYPES.includes(s.type as SocketType) && !canSubscribe(s.type as SocketType)) {
        out.push({ path: `${path}.subscriptions`, message: `a ${String(s.type)} socket cannot subscribe; only sub and xsub take subscriptions` });
      }
    }
    if (!Number.isInteger(s.linger) || (s.linger as number) < -1) out.push({ path: `${path}.linger`, message: `must be an integer >= -1 (ms; -1 waits forever), got ${showValue(s.linger)}` });
    if (out.length === before) good.push(s as unknown as SocketSpec);
  });
  return good;
}

function checkLinks(sockets: readonly SocketSpec[], out: Problem[]): void {
  const byEndpoint = new Map<string, SocketSpec[]>();
  for (const s of sockets) byEndpoint.set(s.endpoint, [...(byEndpoint.get(s.endpoint) ?? []), s]);
  for (const [endpoint, group] of byEndpoint) {
    const path = `scenario.sockets (endpoint ${endpoint})`;
    const binders = group.filter((s) => s.role === "bind");
    const connecters = group.filter((s) => s.role === "connect");
    const binder = binders[0];
    if (binders.length !== 1 || binder === undefined) {
      out.push({ path, message: `needs exactly one socket that binds, found ${binders.length} (${binders.map((s) => s.id).join(", ") || "none"})` });
      continue;
    }
    for (const c of connecters) {
      if (!canLink(binder.type, c.type)) out.push({ path, message: `${c.id} (${c.type}) cannot connect to ${binder.id} (${binder.type}); compatible pairs are pub-sub, xpub-sub, pub-xsub, xpub-xsub, push-pull, dealer-router, dealer-dealer, req-rep, req-router, dealer-rep, pair-pair` });
    }
    if (isSinglePeerSender(binder.type) && connecters.length > 1) {
      out.push({ path, message: `${binder.id} (${binder.type}) would load-balance over ${connecters.length} peers in an order the model cannot predict; give it one peer` });
    }
  }
}

/** Every problem with `value` as an interleaving; empty when it is valid. */
export function interleavingProblems(value: unknown): Problem[] {
  const out: Problem[] = [];
  if (!isRec(value)) return [{ path: "", message: "an interleaving must be an object { scenario, programs, schedule }" }];
  const scenario = value.scenario;
  let sockets: SocketSpec[] = [];
  if (!isRec(scenario)) out.push({ path: "scenario", message: "must be an object { ownership, transport, sockets }" });
  else {
    if (scenario.ownership !== "thread" && scenario.ownership !== "task") out.push({ path: "scenario.ownership", message: `must be "thread" or "task", got ${showValue(scenario.ownership)}` });
    if (scenario.transport !== "inproc" && scenario.transport !== "tcp") out.push({ path: "scenario.transport", message: `unknown transport ${showValue(scenario.transport)}; use "inproc" or "tcp"` });
    sockets = checkSockets(scenario.sockets, out);
    checkLinks(sockets, out);
  }
  const byId = new Map(sockets.map((s) => [s.id, s] as const));
  const actors = new Set<string>();
  const programs = value.programs;
  if (!Array.isArray(programs)) out.push({ path: "programs", message: "must be an array of { actor, ops }" });
  else {
    programs.forEach((p: unknown, i) => {
      if (!isRec(p) || !isActor(p.actor)) return out.push({ path: `programs[${i}].actor`, message: `is not an actor: ${ACTOR_HINT}` });
      const name = actorName(p.actor);
      if (actors.has(name)) out.push({ path: `programs[${i}].actor`, message: `${name} has two programs; give each actor one` });
      actors.add(name);
    });
    programs.forEach((p: unknown, i) => {
      if (!isRec(p) || !isActor(p.actor)) return;
      if (!Array.isArray(p.ops)) return out.push({ path: `programs[${i}].ops`, message: "must be an array of ops" });
      const actor = p.actor;
      p.ops.forEach((op: unknown, k) => checkOp(op, `programs[${i}].ops[${k}]`, actor, byId, actors, out));
    });
  }
  sockets.forEach((s, i) => {
    if (isActor(s.owner) && !actors.has(actorName(s.owner))) {
      out.push({ path: `scenario.sockets[${i}].owner`, message: `${actorName(s.owner)} does not exist; every owner needs a program (it may be empty)` });
    }
  });
  const schedule = value.schedule;
  if (!Array.isArray(schedule)) out.push({ path: "schedule", message: "must be an array of non-negative integers" });
  else
    schedule.forEach((c: unknown, k) => {
      if (!Number.isSafeInteger(c) || (c as number) < 0) out.push({ path: `schedule[${k}]`, message: `must be a non-negative integer, got ${showValue(c)}` });
    });
  const races = value.races;
  if (races !== undefined) {
    if (!Array.isArray(races)) out.push({ path: "races", message: "must be an array of non-negative integers (or left out)" });
    else
      races.forEach((c: unknown, k) => {
        if (!Number.isSafeInteger(c) || (c as number) < 0) out.push({ path: `races[${k}]`, message: `must be a non-negative integer, got ${JSON.stringify(c)}` });
      });
  }
  return out;
}

function checkOp(op: unknown, path: string, actor: { thread: number; task: number }, byId: ReadonlyMap<string, SocketSpec>, actors: ReadonlySet<string>, out: Problem[]): void {
  if (!isRec(op) || !OP_KINDS.includes(op.kind as never)) {
    out.push({ path, message: `unknown op ${showValue(isRec(op) ? op.kind : op)}; use one of ${OP_KINDS.join(", ")}` });
    return;
  }
  if (op.kind === "exit") {
    if (actor.thread === 0) out.push({ path, message: "exit ends a worker thread; an actor on the main thread cannot exit" });
    return;
  }
  const spec = typeof op.socket === "string" ? byId.get(op.socket) : undefined;
  if (spec === undefined) {
    out.push({ path: `${path}.socket`, message: `${showValue(op.socket)} is not a declared socket; declare it in scenario.sockets` });
    return;
  }
  const bad = (field: string, message: string) => out.push({ path: `${path}.${field}`, message });
  switch (op.kind) {
    case "send": {
      if (!canSend(spec.type)) bad("socket", `${spec.id} is a ${spec.type} socket, which cannot send${spec.type === "xsub" ? " (use subscribe)" : ""}`);
      const p = textProblem(op.payload, "the payload");
      if (p !== null) bad("payload", p);
      if (typeof op.nowait !== "boolean") bad("nowait", "must be a boolean");
      if (spec.type === "router") {
        const target = typeof op.to === "string" ? byId.get(op.to) : undefined;
        if (target === undefined || target.endpoint !== spec.endpoint || target.role === spec.role) bad("to", `a router send needs "to": the id of a socket linked to ${spec.id}`);
      } else if (op.to !== undefined) bad("to", `only router sends name a peer; ${spec.id} is a ${spec.type}`);
      return;
    }
    case "recv":
      if (!canRecv(spec.type)) bad("socket", `${spec.id} is a ${spec.type} socket, which cannot receive (its receive would never resolve)`);
      if (typeof op.nowait !== "boolean") bad("nowait", "must be a boolean");
      return;
    case "poll":
      if (op.event !== "readable" && op.event !== "writable") bad("event", `must be "readable" or "writable", got ${showValue(op.event)}`);
      return;
    case "close":
      return;
    case "subscribe":
    case "unsubscribe": {
      if (!canSubscribe(spec.type)) bad("socket", `${spec.id} is a ${spec.type} socket; only sub and xsub subscribe`);
      const p = textProblem(op.topic, "the topic");
      if (p !== null) bad("topic", p);
      return;
    }
    case "handoff":
      if (!isActor(op.to)) bad("to", `is not an actor: ${ACTOR_HINT}`);
      else if (!actors.has(actorName(op.to))) bad("to", `${actorName(op.to)} does not exist; hand off to an actor that has a program`);
      return;
  }
}

/** Throws `InvalidInterleavingError` listing every problem unless `value` is a valid interleaving. */
export function validateInterleaving(value: unknown): asserts value is Interleaving {
  const problems = interleavingProblems(value);
  if (problems.length > 0) throw new InvalidInterleavingError(problems);
}
