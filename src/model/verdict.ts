import type { ActorId, Op } from "../interleaving/types.js";

/** Rules a single step can break. */
export const STEP_RULES = [
  "foreign-owner",
  "busy-send",
  "busy-recv",
  "lost-wakeup",
  "use-after-close",
  "unobserved-rejection",
  "handoff-across-threads",
  "handoff-while-pending",
  "teardown-while-pending",
] as const;

/** A rule a single step can break. */
export type Rule = (typeof STEP_RULES)[number];

/** Conditions checked when every program has ended. */
export const END_RULES = ["stuck", "exit-hang"] as const;

/** A condition checked at the end of a run. */
export type EndRule = (typeof END_RULES)[number];

/** Every rule of the model; each can be switched off in a copy of the model (`createModel({ disabled })`). */
export type ModelRule = Rule | EndRule;

/** Every rule of the model. */
export const MODEL_RULES: readonly ModelRule[] = [...STEP_RULES, ...END_RULES];

/** An op that was issued and has not returned. */
export interface PendingOp {
  readonly actor: ActorId;
  /** Position of the op in the actor's program. */
  readonly index: number;
  /** Step at which it was issued. */
  readonly step: number;
  readonly socket: string;
  readonly op: Op;
}

/** A broken rule: where, by whom, on what, and what to do instead. */
export interface Violation {
  readonly kind: "violation";
  readonly rule: Rule;
  /** The step that breaks the rule (refused in guarded runs). */
  readonly step: number;
  readonly actor: ActorId;
  /** Position of the op in the actor's program. */
  readonly index: number;
  readonly op: Op;
  /** The socket involved; `null` only for a worker exit that involves no socket. */
  readonly socket: string | null;
  /** Who owned the socket at that step. */
  readonly owner: ActorId | null;
  /** The other op involved (the pending op for busy/lost-wakeup/teardown rules). */
  readonly other: PendingOp | null;
  /** One sentence: what broke, who owned the socket, what to do instead. */
  readonly message: string;
}

/** Ops still pending when every program ended: the process never exits. */
export interface Stuck {
  readonly kind: "stuck";
  /** Number of steps taken. */
  readonly step: number;
  // invariant: non-empty
  readonly pending: readonly PendingOp[];
  readonly actor: ActorId;
  readonly socket: string;
  readonly owner: ActorId;
  readonly message: string;
}

/** Queued messages for a peer that is gone, on sockets with linger -1: the process never exits. */
export interface ExitHang {
  readonly kind: "exit-hang";
  readonly step: number;
  // invariant: non-empty
  readonly sockets: readonly string[];
  readonly socket: string;
  readonly owner: ActorId;
  readonly message: string;
}

/** The model's verdict on a whole run. */
export type Verdict = { readonly kind: "ok" } | Violation | Stuck | ExitHang;

/** The kind of a verdict, or the rule for violations: `ok`, `busy-recv`, `stuck`... */
export function verdictLabel(v: Verdict): string {
  return v.kind === "violation" ? v.rule : v.kind;
}
