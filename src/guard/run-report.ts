import { sameActor } from "../interleaving/actor.js";
import { formatInterleaving } from "../interleaving/format.js";
import type { ActorId, History, Interleaving, Program, Schedule, SocketSpec } from "../interleaving/types.js";
import { renderTimeline } from "../report/text.js";
import type { TimelineInput, VerdictLike } from "../report/timeline.js";
import type { GuardContext } from "./context.js";
import type { GuardVerdict } from "./verdict.js";

/** What a run's report needs: the context (history, sockets, tasks), the verdict and the choices used. */
export interface RunReportInput {
  readonly context: GuardContext;
  readonly verdict: GuardVerdict;
  /** Delivery choices the scheduler used. */
  readonly schedule: Schedule;
  /** fast-check seed and path, when known. */
  readonly seed?: number;
  readonly path?: string;
}

/** The run as an interleaving: one socket spec per guarded socket, one program per actor (its ops as issued), the choices used. */
export function runInterleaving(ctx: GuardContext, history: History, schedule: Schedule): Interleaving {
  // Endpoints get short names (e0, e1...) in the order the code first used them.
  const endpoints = new Map<string, string>();
  const sockets: SocketSpec[] = ctx.sockets.map((s) => {
    const j = s.joined;
    if (j === null) return { id: s.name, type: s.type, owner: s.owner, endpoint: "none", role: "bind", subscriptions: [], linger: -1 };
    let endpoint = endpoints.get(j.address);
    if (endpoint === undefined) endpoints.set(j.address, (endpoint = `e${endpoints.size}`));
    return { id: s.name, type: s.type, owner: s.owner, endpoint, role: j.role, subscriptions: [], linger: j.linger };
  });
  const programs: { actor: ActorId; ops: Program["ops"][number][] }[] = [];
  for (const e of history) {
    if (e.kind !== "invoke") continue;
    let p = programs.find((x) => sameActor(x.actor, e.actor));
    if (p === undefined) programs.push((p = { actor: e.actor, ops: [] }));
    p.ops.push(e.op);
  }
  const transport = ctx.sockets.some((s) => s.joined?.address.startsWith("tcp://") === true) ? "tcp" : "inproc";
  return { scenario: { ownership: ctx.ownership, transport, sockets }, programs, schedule };
}

function verdictLike(v: GuardVerdict): VerdictLike {
  switch (v.kind) {
    case "violation":
      return { kind: "violation", rule: v.rule, step: v.step, actor: v.actor, op: v.op, message: v.message };
    case "ok":
      return { kind: "ok" };
    default:
      return { kind: v.kind, message: v.message };
  }
}

/** The label of a verdict: `ok`, the rule, `stuck`, `error`, `unknown`. */
export function guardVerdictLabel(v: GuardVerdict): string {
  return v.kind === "violation" ? v.rule : v.kind;
}

/**
 * The replay line of a guarded run: the delivery choices that reproduce its order, and
 * fast-check's seed and path when known.
 */
export function guardReplayLine(r: RunReportInput): string {
  const parts = ["replay:"];
  if (r.seed !== undefined) parts.push(`seed=${r.seed}`);
  if (r.path !== undefined) parts.push(`path=${JSON.stringify(r.path)}`);
  parts.push(`verdict=${guardVerdictLabel(r.verdict)}`, `schedule=${JSON.stringify(r.schedule)}`);
  return parts.join(" ");
}

/** Task names of the run, for the legend: `main/t1 = listener`. */
function taskLegend(ctx: GuardContext): string {
  const named = ctx.tasks.list().filter((t) => t.actor.task !== 0);
  return named.length === 0 ? "" : `tasks: ${named.map((t) => ctx.tasks.describe(t.actor)).join(", ")}\n`;
}

/**
 * The events a report draws: for a violation, those before the refused step. The run ends at
 * its first violation, but code that goes on synchronously after it (the refused task is
 * frozen, the others are not) may still issue ops before the run notices; drawing them would
 * put rows after the verdict's step above the refused one.
 */
export function reportedHistory(ctx: GuardContext, verdict: GuardVerdict): History {
  const history = ctx.history ?? [];
  if (verdict.kind !== "violation") return history;
  return history.filter((e) => e.step < verdict.step);
}

/** What `writeTimeline` and the other renderers need to draw a guarded run: the run as an interleaving, its history and verdict. */
export function runTimelineInput(r: RunReportInput): TimelineInput {
  const history = reportedHistory(r.context, r.verdict);
  return {
    interleaving: runInterleaving(r.context, history, r.schedule),
    history,
    verdict: verdictLike(r.verdict),
    ...(r.seed === undefined ? {} : { seed: r.seed }),
    ...(r.path === undefined ? {} : { path: r.path }),
  };
}

/**
 * A guarded run as text: the task legend, the swimlane timeline (one column per task, one row
 * per event, the refused call marked), the verdict in one sentence, and the replay line.
 */
export function renderRunReport(r: RunReportInput): string {
  const history = reportedHistory(r.context, r.verdict);
  const interleaving = runInterleaving(r.context, history, r.schedule);
  let timeline: string;
  try {
    timeline = renderTimeline({ interleaving, history, verdict: verdictLike(r.verdict) }, { replayLine: false });
  } catch (err) {
    // The report module should never throw; if it does, fall back to the plain text form.
    timeline = `${formatInterleaving(interleaving, { multiline: true })}\n(${String(err)})`;
  }
  const cause = r.verdict.kind === "error" ? `\ncaused by: ${r.verdict.error instanceof Error ? (r.verdict.error.stack ?? r.verdict.error.message) : String(r.verdict.error)}` : "";
  return `${taskLegend(r.context)}${timeline}\n${guardReplayLine(r)}${cause}`;
}
