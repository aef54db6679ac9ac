import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { createModel, type Model } from "../../src/model/model.js";
import { readable } from "../../src/model/messaging.js";
import { MODEL_RULES, verdictLabel, type ModelRule } from "../../src/model/verdict.js";

/** How big an interleaving is, in the units shrinking lowers. */
export interface Size {
  readonly threads: number;
  readonly actors: number;
  readonly sockets: number;
  readonly ops: number;
  readonly preemptions: number;
}

/** The size of `x`; preemptions are counted by running it through `model`. */
export function sizeOf(x: Interleaving, model: Model): Size {
  return {
    threads: new Set(x.programs.map((p) => p.actor.thread)).size,
    actors: x.programs.length,
    sockets: x.scenario.sockets.length,
    ops: x.programs.reduce((n, p) => n + p.ops.length, 0),
    preemptions: checkInterleaving(x, { model, validate: false, history: false }).preemptions,
  };
}

/** Does `s` equal one of the minimal sizes? */
export function isMinimalSize(s: Size, minimum: Size | readonly Size[]): boolean {
  const list: readonly Size[] = Array.isArray(minimum) ? minimum : [minimum as Size];
  return list.some((m) => s.threads === m.threads && s.actors === m.actors && s.sockets === m.sockets && s.ops === m.ops && s.preemptions === m.preemptions);
}

/** One rule of the model: how to make the kit look for it, and its known smallest counterexample. */
export interface RuleCase {
  readonly rule: ModelRule;
  readonly constraints: InterleavingConstraints;
  /** The failure the property looks for ("this never happens" fails when it does). */
  readonly happens: (x: Interleaving, model: Model) => boolean;
  /** The smallest interleavings that show it (where two shapes tie, either). */
  readonly minimum: Size | readonly Size[];
  /** The minimal form, in words. */
  readonly shape: string;
}

const verdictIs = (rule: ModelRule) => (x: Interleaving, model: Model) => verdictLabel(checkInterleaving(x, { model, validate: false, history: false }).verdict) === rule;

/**
 * A lost wakeup that matters: the model flags the poll, and with the rule off (what zeromq.js
 * does) a message ends up waiting while the receive that lost its wakeup never takes it.
 */
function lostWakeupMatters(x: Interleaving, model: Model): boolean {
  if (!verdictIs("lost-wakeup")(x, model)) return false;
  const off = createModel({ disabled: [...MODEL_RULES.filter((r) => !model.rules.has(r)), "lost-wakeup"] });
  const { state } = checkInterleaving(x, { model: off, validate: false, history: false });
  return state.sockets.some((s, i) => s.lostWakeup && s.pendingRecv !== null && readable(state, i));
}

const size = (threads: number, actors: number, sockets: number, ops: number): Size => ({ threads, actors, sockets, ops, preemptions: 0 });

/** Every rule, with constraints that make the kit find it and the smallest form it has. */
export const RULE_CASES: readonly RuleCase[] = [
  { rule: "foreign-owner", constraints: { ownership: "violate", threads: 2, minThreads: 2 }, happens: verdictIs("foreign-owner"), minimum: size(2, 2, 1, 1), shape: "one socket owned by an idle main task, one op on it from a worker" },
  { rule: "busy-send", constraints: { ownership: "violate", nowait: 0, socketTypes: ["push", "pull", "dealer"] }, happens: verdictIs("busy-send"), minimum: size(1, 2, 1, 2), shape: "one socket with no peer, two tasks on one thread, one send each" },
  { rule: "busy-recv", constraints: { ownership: "violate", nowait: 0 }, happens: verdictIs("busy-recv"), minimum: size(1, 2, 1, 2), shape: "one socket, two tasks on one thread, one recv each and nothing else" },
  { rule: "lost-wakeup", constraints: { ownership: "violate", nowait: { send: 0.5, recv: 0 }, socketTypes: ["push", "pull"] }, happens: lostWakeupMatters, minimum: size(1, 2, 2, 3), shape: "a recv by one task, a poll by another, plus the (fire-and-forget) send that makes it matter in the same turn" },
  { rule: "use-after-close", constraints: { ownership: "violate" }, happens: verdictIs("use-after-close"), minimum: size(1, 1, 1, 2), shape: "close, then any op on the same socket" },
  { rule: "unobserved-rejection", constraints: { ownership: "violate", nowait: 0.4 }, happens: verdictIs("unobserved-rejection"), minimum: size(1, 1, 1, 2), shape: "a fire-and-forget op, then close" },
  { rule: "handoff-across-threads", constraints: { ownership: "violate", threads: 2, weights: { handoff: 3 } }, happens: verdictIs("handoff-across-threads"), minimum: size(2, 2, 1, 1), shape: "one handoff to a task on another thread" },
  { rule: "handoff-while-pending", constraints: { ownership: "violate", nowait: 0, weights: { handoff: 3 } }, happens: verdictIs("handoff-while-pending"), minimum: size(1, 2, 1, 2), shape: "a pending recv by one task, a handoff by another" },
  { rule: "teardown-while-pending", constraints: { ownership: "violate", nowait: 0, threads: 2, minThreads: 2, weights: { exit: 3 } }, happens: verdictIs("teardown-while-pending"), minimum: size(1, 2, 1, 2), shape: "a pending recv on a worker, exit by its sibling task" },
  { rule: "stuck", constraints: { ownership: "any" }, happens: verdictIs("stuck"), minimum: size(1, 1, 1, 1), shape: "one recv that nothing answers" },
  {
    rule: "exit-hang",
    // Every op drawn without the discipline: a close in the middle of a program, then a send.
    constraints: { ownership: "any", violationRate: 1, transport: "tcp", socketTypes: ["push", "pull"], weights: { close: 3 } },
    happens: verdictIs("exit-hang"),
    // The connecter notices the close when the loop runs, so the send must come in a later turn:
    // from another task, or after an awaited op of the same task.
    minimum: [size(1, 2, 2, 2), size(1, 1, 2, 3)],
    shape: "close the bound peer, then, a turn later, send from the tcp connecter",
  },
];
