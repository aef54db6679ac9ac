import { actorName } from "../interleaving/actor.js";
import { writeInterleaving } from "../interleaving/format.js";
import type { ActorId, History, Interleaving, Program, Schedule, SocketSpec } from "../interleaving/types.js";
import { renderTimeline } from "../report/text.js";
import type { TimelineInput, VerdictLike } from "../report/timeline.js";
import type { GuardContext } from "../guard/context.js";
import { transportOf } from "../guard/endpoints.js";
import type { LaneMap } from "./lanes.js";
import type { WorkerSocket } from "./worker/protocol.js";
import type { GuardVerdict } from "./verdict.js";

/** What a run's report needs: the context (sockets), the lanes, the history and verdict with lane actors, and the choices used. */
export interface RunReportInput {
  readonly context: GuardContext;
  /** Every socket of the run (worker threads' included). */
  readonly sockets: readonly WorkerSocket[];
  readonly lanes: LaneMap;
  /** The run's history, lane actors (`lanes.history`). */
  readonly history: History;
  /** The verdict, lane actors (`laneVerdict`). */
  readonly verdict: GuardVerdict;
  /** Delivery choices the scheduler made. */
  readonly schedule: Schedule;
  /** Race choices the scheduler made (hazards, lateness and connection points). */
  readonly races: Schedule;
  /** fast-check seed and path, when known. */
  readonly seed?: number;
  readonly path?: string;
}

/** `inproc`, `tcp` or `ipc` (several: joined), from the addresses the run's sockets used. */
function transportText(sockets: readonly WorkerSocket[]): string {
  const seen = new Set<string>();
  for (const s of sockets) if (s.joined !== null) seen.add(transportOf(s.joined.address));
  seen.delete("other");
  return seen.size === 0 ? "inproc" : [...seen].sort().join("+");
}

/** The run as an interleaving: one socket spec per guarded socket, one program per lane (its ops as issued), the choices used. */
export function runAsInterleaving(ctx: GuardContext, all: readonly WorkerSocket[], lanes: LaneMap, history: History, schedule: Schedule): Interleaving {
  // Endpoints get short names (e0, e1...) in the order the code first used them.
  const endpoints = new Map<string, string>();
  const sockets: SocketSpec[] = all.map((s) => {
    const owner = lanes.actor(s.creator);
    const j = s.joined;
    if (j === null) return { id: s.name, type: s.type, owner, endpoint: "none", role: "bind", subscriptions: [], linger: -1 };
    let endpoint = endpoints.get(j.address);
    if (endpoint === undefined) endpoints.set(j.address, (endpoint = `e${endpoints.size}`));
    return { id: s.name, type: s.type, owner, endpoint, role: j.role, subscriptions: [], linger: j.linger };
  });
  const programs: { actor: ActorId; ops: Program["ops"][number][] }[] = [];
  for (const e of history) {
    if (e.kind !== "invoke") continue;
    let p = programs.find((x) => x.actor.thread === e.actor.thread && x.actor.task === e.actor.task);
    if (p === undefined) programs.push((p = { actor: e.actor, ops: [] }));
    p.ops.push(e.op);
  }
  const transport = transportText(all) === "tcp" ? "tcp" : "inproc";
  return { scenario: { ownership: ctx.ownership, transport, sockets }, programs, schedule };
}

/** The verdict as a timeline draws it (actors and sentences are the lanes' already). */
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
export function guardReplayLine(r: Pick<RunReportInput, "verdict" | "schedule" | "races" | "seed" | "path">): string {
  const parts = ["replay:"];
  if (r.seed !== undefined) parts.push(`seed=${r.seed}`);
  if (r.path !== undefined) parts.push(`path=${JSON.stringify(r.path)}`);
  parts.push(`verdict=${guardVerdictLabel(r.verdict)}`, `schedule=${JSON.stringify(r.schedule)}`);
  if (r.races.length > 0) parts.push(`races=${JSON.stringify(r.races)}`);
  return parts.join(" ");
}

/** Task names of the run, for the legend: `tasks: main/t1 = serve (src/x.ts:12:5), ...` (the lanes drawn, and the refused call's). */
function taskLegend(lanes: LaneMap, shown: History, verdict: GuardVerdict): string {
  const used = new Set(shown.map((e) => `${e.actor.thread}/${e.actor.task}`));
  if (verdict.kind === "violation") used.add(`${verdict.actor.thread}/${verdict.actor.task}`);
  const named = lanes.lanes.filter((l) => !(l.actor.thread === 0 && l.actor.task === 0) && used.has(`${l.actor.thread}/${l.actor.task}`));
  if (named.length === 0) return "";
  const items = named.map((l) => `${actorName(l.actor)} = ${l.name}${l.site === null ? "" : ` (${l.site})`}`);
  const line = `tasks: ${items.join(", ")}`;
  // One line when it fits a terminal, else one task per line.
  return line.length <= 100 ? `${line}\n` : `tasks: ${items.join("\n       ")}\n`;
}

/**
 * The events a report draws: for a violation, those before the refused step. The run ends at
 * its first violation, but code that goes on synchronously after it (the refused task is
 * frozen, the others are not) may still issue ops before the run notices; drawing them would
 * put rows after the verdict's step above the refused one.
 */
export function reportedHistory(history: History, verdict: GuardVerdict): History {
  if (verdict.kind !== "violation") return history;
  return history.filter((e) => e.step < verdict.step);
}

/** What `writeTimeline` and the other renderers need to draw a guarded run: the run as an interleaving, its history and verdict. */
export function runTimelineInput(r: RunReportInput): TimelineInput {
  const history = reportedHistory(r.history, r.verdict);
  return {
    interleaving: runAsInterleaving(r.context, r.sockets, r.lanes, history, r.schedule),
    history,
    verdict: verdictLike(r.verdict),
    actorNames: r.lanes.lanes.filter((l) => !(l.actor.thread === 0 && l.actor.task === 0)).map((l) => ({ actor: l.actor, name: l.name })),
    scenarioLabel: `ownership by ${r.context.ownershipRule}, ${transportText(r.sockets)} transport`,
    ...(r.seed === undefined ? {} : { seed: r.seed }),
    ...(r.path === undefined ? {} : { path: r.path }),
  };
}

/** Most lanes a text report draws before it keeps to the tasks that touched the verdict's sockets. */
export const MAX_DRAWN_LANES = 5;

/** The sockets a verdict is about: the refused op's and the other op's, or the ops left pending. */
function verdictSockets(v: GuardVerdict): Set<string> {
  const out = new Set<string>();
  if (v.kind === "violation") {
    if (v.op.kind !== "exit") out.add(v.op.socket);
    if (v.error.other !== null) out.add(v.error.other.socket);
  } else if (v.kind === "stuck") for (const p of v.pending) out.add(p.socket);
  return out;
}

/**
 * With more tasks than fit side by side, the text report keeps to those that touched the
 * verdict's sockets (and the refused task): the others' events are left out, and a line says how
 * many tasks that is (the whole run stays in `report.timeline`).
 */
function focus(input: TimelineInput, v: GuardVerdict): { readonly input: TimelineInput; readonly note: string } {
  const key = (a: { readonly thread: number; readonly task: number }): string => `${a.thread}/${a.task}`;
  const all = new Set(input.history.map((e) => key(e.actor)));
  const sockets = verdictSockets(v);
  if (all.size <= MAX_DRAWN_LANES || sockets.size === 0) return { input, note: "" };
  const kept = new Set<string>();
  for (const e of input.history) if (e.kind === "invoke" && e.op.kind !== "exit" && sockets.has(e.op.socket)) kept.add(key(e.actor));
  if (v.kind === "violation") kept.add(key(v.actor));
  if (kept.size === all.size) return { input, note: "" };
  const history = input.history.filter((e) => kept.has(key(e.actor)));
  const programs = input.interleaving.programs.filter((p) => kept.has(key(p.actor)));
  const hidden = all.size - kept.size;
  const note = `(${hidden} more task${hidden === 1 ? "" : "s"} not drawn: ${hidden === 1 ? "it does" : "they do"} not touch ${[...sockets].join(" or ")}; report.timeline has the whole run)\n`;
  return { input: { ...input, history, interleaving: { ...input.interleaving, programs } }, note };
}

/**
 * A guarded run as text: the task legend, the swimlane timeline (one column per task, one row
 * per event, the refused call marked; with many tasks, those that touched the verdict's
 * sockets), the verdict in one sentence, and the replay line.
 */
export function renderRunReport(r: RunReportInput): string {
  const { input, note } = focus(runTimelineInput(r), r.verdict);
  let timeline: string;
  try {
    timeline = renderTimeline(input, { replayLine: false });
  } catch (err) {
    // The report module should never throw; if it does, fall back to the plain text form.
    timeline = `${writeInterleaving(input.interleaving, true)}\n(${String(err)})`;
  }
  const cause = r.verdict.kind === "error" ? `\ncaused by: ${errorText(r.verdict.error)}` : "";
  return `${taskLegend(r.lanes, input.history, r.verdict)}${note}${timeline}\n${guardReplayLine(r)}${cause}`;
}

/** An error's stack (or message), also for an error that crossed from a worker thread as plain data. */
function errorText(error: unknown): string {
  const e = error as { stack?: unknown; message?: unknown } | null;
  if (typeof e?.stack === "string") return e.stack;
  if (typeof e?.message === "string") return e.message;
  return String(error);
}
