import type { InterleavedReport } from "../instrument/run.js";
import { sameActor } from "../interleaving/actor.js";
import type { ActorId, Interleaving } from "../interleaving/types.js";
import type { Model } from "../model/model.js";
import { checkInterleaving } from "../model/check.js";

/**
 * How big a counterexample is, in the units shrinking lowers. For an interleaving: its
 * threads, actors, sockets and ops, and `choices` = preemptions. For a guarded run of user
 * code: the threads, tasks and sockets that took part, the calls made (the refused call
 * included), and `choices` = the delivery choices that were not 0 (out-of-order completions).
 */
export interface ZooSize {
  readonly threads: number;
  readonly actors: number;
  readonly sockets: number;
  readonly ops: number;
  readonly choices: number;
}

/** A size from its parts: `size(threads, actors, sockets, ops, choices)`. */
export function size(threads: number, actors: number, sockets: number, ops: number, choices = 0): ZooSize {
  return { threads, actors, sockets, ops, choices };
}

/** The size of a model-checked interleaving (preemptions counted by running it through `model`). */
export function interleavingSize(x: Interleaving, model: Model): ZooSize {
  return {
    threads: new Set(x.programs.map((p) => p.actor.thread)).size,
    actors: x.programs.length,
    sockets: x.scenario.sockets.length,
    ops: x.programs.reduce((n, p) => n + p.ops.length, 0),
    choices: checkInterleaving(x, { model, validate: false, history: false }).preemptions,
  };
}

/**
 * The size of a guarded run. A refused call (the guard stops it before it reaches the socket)
 * leaves no invoke event, so it is counted from the verdict; an op whose rejection escaped
 * the code awaiting it (`unobserved-rejection` on an op already issued) is not a new call.
 */
export function runSize(report: InterleavedReport): ZooSize {
  const actors: ActorId[] = [];
  const sockets = new Set<string>();
  const add = (a: ActorId): void => {
    if (!actors.some((b) => sameActor(a, b))) actors.push(a);
  };
  let ops = 0;
  // What the report draws: for a violation, the run up to the refused step.
  const history = report.timeline.history;
  for (const e of history) {
    if (e.kind !== "invoke") continue;
    ops++;
    add(e.actor);
    if ("socket" in e.op) sockets.add(e.op.socket);
  }
  const v = report.verdict;
  if (v.kind === "violation") {
    add(v.actor);
    if ("socket" in v.op) sockets.add(v.op.socket);
    const o = v.error.other;
    const issued = o !== null && sameActor(o.actor, v.actor) && history.some((e) => e.kind === "invoke" && e.step === o.step);
    if (!(v.rule === "unobserved-rejection" && issued)) ops++;
  }
  return {
    threads: new Set(actors.map((a) => a.thread)).size,
    actors: actors.length,
    sockets: sockets.size,
    ops,
    choices: report.schedule.filter((c) => c !== 0).length,
  };
}

/** Is `s` one of the known minima? */
export function isMinimal(s: ZooSize, minimum: readonly ZooSize[]): boolean {
  return minimum.some((m) => m.threads === s.threads && m.actors === s.actors && m.sockets === s.sockets && m.ops === s.ops && m.choices === s.choices);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `1 thread · 2 actors · 1 socket · 2 ops · 0 choices`; `kind` names actors "tasks" for user code. */
export function formatSize(s: ZooSize, kind: "code" | "scenario" = "scenario"): string {
  return [plural(s.threads, "thread"), plural(s.actors, kind === "code" ? "task" : "actor"), plural(s.sockets, "socket"), plural(s.ops, "op"), plural(s.choices, kind === "code" ? "choice" : "preemption")].join(" · ");
}
