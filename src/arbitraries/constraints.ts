import { InvalidOptionsError } from "../errors.js";
import { closestName } from "../input/closest.js";
import { flag, isPlainObject, oneOf as pick, optionsRecord, probability, unknownKeyMessage } from "../input/options.js";
import { showValue } from "../input/show.js";
import { MAX_TASK, MAX_TEXT, MAX_THREAD } from "../interleaving/validate.js";
import { OP_KINDS, SOCKET_TYPES, type OpKind, type Ownership, type SocketType, type Transport } from "../interleaving/types.js";
import { createStrategy, type StrategySpec } from "../schedule/create.js";
import type { PctOptions } from "../schedule/pct.js";
import type { RandomOptions } from "../schedule/random.js";

/** A strategy an arbitrary can draw schedules with: one run per value, from fast-check's random source. */
export type DrawStrategy = "random" | "pct" | ({ readonly strategy: "random" } & RandomOptions) | ({ readonly strategy: "pct" } & PctOptions);

/** What generated interleavings may contain. Every field is optional. */
export interface InterleavingConstraints {
  /** Most threads, main included (1 = main thread only). Default 1. */
  readonly threads?: number;
  /** Fewest threads. Default 1. */
  readonly minThreads?: number;
  /** Most tasks on one thread. Default 2. */
  readonly tasksPerThread?: number;
  /** Fewest tasks on one thread. Default 1 (2 under `"violate"`). */
  readonly minTasksPerThread?: number;
  /** Socket types to draw from; links are drawn among compatible pairs of them. Default: every type. */
  readonly socketTypes?: readonly SocketType[];
  /** Most links (endpoints with one binder and its connecters). Default 2. */
  readonly maxLinks?: number;
  /** Most connecting sockets on one link. Default 2. */
  readonly maxPeers?: number;
  /** Most ops per actor. Default 5. */
  readonly maxOps?: number;
  /** Fewest ops per actor (fewer only when no op fits). Default 0 (2 under `"violate"`). */
  readonly minOps?: number;
  /** Relative weight of each op kind; 0 never draws it. */
  readonly weights?: Partial<Record<OpKind, number>>;
  /**
   * `"respect"`: each socket is used by its owner task only, every op awaited, close last, no
   * handoff; such programs break no step rule under any schedule, and they mostly run to
   * their end: receives are matched by sends, requests by replies. `"any"` (default): the same
   * plans, with each op drawn without the discipline with chance `violationRate`.
   * `"violate"`: more such ops, steered towards foreign and overlapping use.
   */
  readonly ownership?: "respect" | "violate" | "any";
  /**
   * Under `"any"` and `"violate"`: the chance that an op is drawn without the discipline (any
   * socket, any kind); the other ops follow a plan that runs to its end. The knob for how deep
   * the first violation lies: about one op in `1 / violationRate` breaks the discipline.
   * Default 0.1 under `"any"`, 0.9 under `"violate"` (0 under `"respect"`); 1 draws every op without it.
   */
  readonly violationRate?: number;
  /** Which unit owns a socket in generated scenarios. Default `"thread"`. */
  readonly owner?: Ownership | "any";
  /** Default `"inproc"`. */
  readonly transport?: Transport | "any";
  /**
   * Chance that a send or receive is fire-and-forget (`void`), for both or per kind
   * (`{ send: 0.5, recv: 0 }`). Default 0.1 (0 under `"respect"`, 0.25 under `"violate"`).
   */
  readonly nowait?: number | { readonly send?: number; readonly recv?: number };
  /** Chance that a schedule choice is non-zero (a preemption where it applies). Default 0.3. */
  readonly preemptionRate?: number;
  /**
   * How schedules are picked. Absent (default): a list of choices drawn up front, non-zero with
   * `preemptionRate`. `"random"` or `"pct"` (or a spec such as `{ strategy: "pct", depth: 3 }`):
   * the strategy walks the model over the drawn programs and picks at every point where two or
   * more actors can move, and at every race; its picks become the interleaving's schedule and
   * race choices, so the value replays and shrinks like any other. PCT's `steps` defaults to the
   * number of ops drawn. (`exhaustive` searches one interleaving: use `explore`.)
   */
  readonly strategy?: DrawStrategy;
  /** Most schedule entries. Default: the number of ops. */
  readonly maxSchedule?: number;
  /** Topics for subscriptions and pub payloads. Default `["a", "b"]`. */
  readonly topics?: readonly string[];
  /** Chance that a socket sets linger 0 (inproc only). Default 0.1. */
  readonly lingerZero?: number;
  /**
   * Only what `runInterleaving` runs faithfully: no run-time (un)subscription over tcp, no
   * run-time unsubscription on a SUB. Default false.
   */
  readonly executable?: boolean;
}

/** Constraints with every default applied. */
export interface ResolvedConstraints {
  readonly threads: number;
  readonly minThreads: number;
  readonly tasksPerThread: number;
  readonly minTasksPerThread: number;
  readonly socketTypes: readonly SocketType[];
  readonly maxLinks: number;
  readonly maxPeers: number;
  readonly maxOps: number;
  readonly minOps: number;
  readonly weights: Readonly<Record<OpKind, number>>;
  readonly ownership: "respect" | "violate" | "any";
  readonly violationRate: number;
  readonly owner: Ownership | "any";
  readonly transport: Transport | "any";
  readonly nowait: { readonly send: number; readonly recv: number };
  readonly preemptionRate: number;
  readonly strategy: ({ readonly strategy: "random" } & RandomOptions) | ({ readonly strategy: "pct" } & PctOptions) | null;
  readonly maxSchedule: number | null;
  readonly topics: readonly string[];
  readonly lingerZero: number;
  readonly executable: boolean;
}

/** Default op weights. */
export const DEFAULT_WEIGHTS: Readonly<Record<OpKind, number>> = {
  send: 4,
  recv: 4,
  poll: 2,
  close: 1,
  subscribe: 1,
  unsubscribe: 0.5,
  handoff: 0.5,
  exit: 0.5,
};

/** Every key of `InterleavingConstraints`, for the check that rejects unknown ones. */
export const CONSTRAINT_KEYS = [
  "threads",
  "minThreads",
  "tasksPerThread",
  "minTasksPerThread",
  "socketTypes",
  "maxLinks",
  "maxPeers",
  "maxOps",
  "minOps",
  "weights",
  "ownership",
  "owner",
  "transport",
  "nowait",
  "preemptionRate",
  "strategy",
  "violationRate",
  "maxSchedule",
  "topics",
  "lingerZero",
  "executable",
] as const;

function int(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionsError(`constraints.${name} must be an integer from ${min} to ${max}, got ${showValue(value)}`);
  }
  return value;
}

function chance(name: string, value: unknown, fallback: number): number {
  return probability(`constraints.${name}`, value, fallback);
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  return pick(`constraints.${name}`, value, allowed, fallback);
}

function violationRate(ownership: ResolvedConstraints["ownership"], rate: unknown): number {
  const value = chance("violationRate", rate, ownership === "violate" ? 0.9 : ownership === "any" ? 0.1 : 0);
  if (ownership === "respect" && value > 0) throw new InvalidOptionsError('constraints.violationRate must be 0 with ownership "respect": respecting programs break no rule');
  return value;
}

function drawStrategy(s: unknown): ResolvedConstraints["strategy"] {
  if (s === undefined) return null;
  const spec = (typeof s === "string" ? { strategy: s } : s) as { readonly strategy?: unknown } | null;
  if (typeof spec !== "object" || spec === null || (spec.strategy !== "random" && spec.strategy !== "pct")) {
    const name = typeof spec === "object" && spec !== null ? spec.strategy : spec;
    throw new InvalidOptionsError(`constraints.strategy must be "random" or "pct" (or their options), got ${showValue(name)}; to search every schedule of one interleaving use explore(x, { strategy: "exhaustive" })`);
  }
  // The strategy checks its own options when it is made.
  createStrategy(spec as StrategySpec);
  return spec as ResolvedConstraints["strategy"];
}

function socketTypesOf(value: unknown): readonly SocketType[] {
  if (value === undefined) return SOCKET_TYPES;
  if (!Array.isArray(value) || value.length === 0) throw new InvalidOptionsError(`constraints.socketTypes must list at least one socket type, got ${showValue(value)}`);
  for (const t of value) {
    if (!SOCKET_TYPES.includes(t as SocketType)) {
      const near = typeof t === "string" ? closestName(t, SOCKET_TYPES) : null;
      throw new InvalidOptionsError(`constraints.socketTypes: unknown socket type ${showValue(t)}${near === null ? "" : ` (did you mean ${JSON.stringify(near)}?)`}; use ${SOCKET_TYPES.join(", ")}`);
    }
  }
  return value as SocketType[];
}

function weightsOf(value: unknown): Record<OpKind, number> {
  const weights: Record<OpKind, number> = { ...DEFAULT_WEIGHTS };
  if (value === undefined) return weights;
  if (!isPlainObject(value)) throw new InvalidOptionsError(`constraints.weights must be an object of op kinds to weights, such as { send: 4, close: 0 }, got ${showValue(value)}`);
  for (const [k, w] of Object.entries(value)) {
    if (!OP_KINDS.includes(k as OpKind)) throw new InvalidOptionsError(unknownKeyMessage("constraints.weights", k, OP_KINDS, "op kind"));
    if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(w)) throw new InvalidOptionsError(`constraints.weights.${k} must be a finite number >= 0, got ${showValue(w)}`);
    weights[k as OpKind] = w;
  }
  if (OP_KINDS.every((k) => weights[k] === 0)) throw new InvalidOptionsError("constraints.weights are all 0; give at least one op kind a positive weight");
  return weights;
}

function nowaitOf(value: unknown, fallback: number): { readonly send: number; readonly recv: number } {
  if (value === undefined || typeof value === "number") return { send: chance("nowait.send", value, fallback), recv: chance("nowait.recv", value, fallback) };
  const o = isPlainObject(value) ? optionsRecord("constraints.nowait", value, ["send", "recv"]) : null;
  if (o === null) throw new InvalidOptionsError(`constraints.nowait is a probability or { send, recv }, got ${showValue(value)}`);
  return { send: chance("nowait.send", o.send, fallback), recv: chance("nowait.recv", o.recv, fallback) };
}

/**
 * Applies defaults and throws `InvalidOptionsError` for an unknown key (naming the closest
 * known one), a wrong type or anything out of range; `where` names the caller in the message.
 */
export function resolveConstraints(constraints: InterleavingConstraints = {}, where = "constraints"): ResolvedConstraints {
  const c = optionsRecord(where, constraints, CONSTRAINT_KEYS);
  const socketTypes = socketTypesOf(c.socketTypes);
  const weights = weightsOf(c.weights);
  const topics = c.topics ?? ["a", "b"];
  if (!Array.isArray(topics) || topics.length === 0 || topics.some((t) => typeof t !== "string" || t.length > MAX_TEXT || !/^[\x20-\x7e]*$/.test(t))) {
    throw new InvalidOptionsError(`constraints.topics must be a non-empty list of printable strings of at most ${MAX_TEXT} characters, got ${showValue(topics)}`);
  }
  const ownership = oneOf("ownership", c.ownership, ["respect", "violate", "any"], "any");
  const fallback = ownership === "respect" ? 0 : ownership === "violate" ? 0.25 : 0.1;
  const nowait = nowaitOf(c.nowait, fallback);
  if (ownership === "respect" && (nowait.send > 0 || nowait.recv > 0)) {
    throw new InvalidOptionsError('constraints.nowait must be 0 with ownership "respect": respecting programs await every op');
  }
  const threads = int("threads", c.threads, 1, 1, MAX_THREAD + 1);
  const tasksPerThread = int("tasksPerThread", c.tasksPerThread, 2, 1, MAX_TASK + 1);
  const maxOps = int("maxOps", c.maxOps, 5, 0, 10_000);
  return {
    threads,
    minThreads: int("minThreads", c.minThreads, 1, 1, threads),
    tasksPerThread,
    // "violate" needs company and something to do: default to two tasks and two ops where allowed.
    minTasksPerThread: int("minTasksPerThread", c.minTasksPerThread, ownership === "violate" ? Math.min(2, tasksPerThread) : 1, 1, tasksPerThread),
    socketTypes,
    maxLinks: int("maxLinks", c.maxLinks, 2, 1, 64),
    maxPeers: int("maxPeers", c.maxPeers, 2, 1, 64),
    maxOps,
    minOps: int("minOps", c.minOps, ownership === "violate" ? Math.min(2, maxOps) : 0, 0, maxOps),
    weights,
    ownership,
    violationRate: violationRate(ownership, c.violationRate),
    owner: oneOf("owner", c.owner, ["thread", "task", "any"], "thread"),
    transport: oneOf("transport", c.transport, ["inproc", "tcp", "any"], "inproc"),
    nowait,
    preemptionRate: chance("preemptionRate", c.preemptionRate, 0.3),
    strategy: drawStrategy(c.strategy),
    maxSchedule: c.maxSchedule === undefined ? null : int("maxSchedule", c.maxSchedule, 0, 0, 1_000_000),
    topics: topics as string[],
    lingerZero: chance("lingerZero", c.lingerZero, 0.1),
    executable: flag("constraints.executable", c.executable, false),
  };
}
