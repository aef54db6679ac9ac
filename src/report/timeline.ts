import { actorName, compareActors, sameActor } from "../interleaving/actor.js";
import type { ActorId, History, HistoryEvent, Interleaving, Op } from "../interleaving/types.js";
import { opLabel, resultLabel, scenarioLabel, socketLabel, type LabelOptions } from "./labels.js";
import { writeReplay } from "./replayLine.js";

/**
 * The verdict a timeline shows. Structural on purpose: the model's `Verdict` fits, and so does
 * a real-socket runner's wider verdict (`diverged`, `unknown`) as long as it has a `kind` and,
 * ideally, a one-sentence `message`. A verdict with `rule`, `actor` and `op` is drawn as a
 * refused step.
 */
export interface VerdictLike {
  readonly kind: string;
  /** One sentence in plain words: what broke, who owned the socket, what to do instead. */
  readonly message?: string;
  /** The broken rule (violations). */
  readonly rule?: string;
  /** The step the verdict is about (for violations: the refused step). */
  readonly step?: number;
  readonly actor?: ActorId;
  /** Position of `op` in the actor's program. */
  readonly index?: number;
  /** The refused op (violations). */
  readonly op?: Op;
}

/** What a timeline is drawn from: a run of one interleaving, model or real. */
export interface TimelineInput {
  readonly interleaving: Interleaving;
  /** The events that happened, in order (for a violation, up to the refused step). */
  readonly history: History;
  readonly verdict: VerdictLike;
  /** Index into `history` of the first event where a real run differs from the model (may equal its length); null or absent when they agree. */
  readonly divergedAt?: number | null;
  /** The model's predicted history; names what the model expected at `divergedAt`. */
  readonly predicted?: History;
  /** fast-check seed of the failing run, for the replay line. */
  readonly seed?: number;
  /** fast-check counterexample path, for the replay line. */
  readonly path?: string;
  /** Task names to show beside actor names in lane headers (`main/t1 serve`): a run of user code has them. */
  readonly actorNames?: readonly { readonly actor: ActorId; readonly name: string }[];
  /** Replaces the scenario line (`ownership by thread, ipc transport`) when the scenario's fields cannot say it. */
  readonly scenarioLabel?: string;
}

/** One column: an actor, and how many of its ops can be pending at once (bar slots). */
export interface TimelineLane {
  readonly actor: ActorId;
  readonly name: string;
  // invariant: >= 1
  readonly slots: number;
}

/** The kinds of row: an op issued, an op returned, the refused step, the point a real run diverged. */
export type TimelineRowKind = "invoke" | "return" | "refused" | "diverged";

/** One row of the timeline, in one lane. */
export interface TimelineRow {
  readonly kind: TimelineRowKind;
  /** The step of the row; `null` for a divergence after the last event. */
  readonly step: number | null;
  /** Index into `lanes`. */
  readonly lane: number;
  /** Bar slot of the op (invoke/return); 0 for refused and diverged rows. */
  readonly slot: number;
  /** Op label for invoke and refused rows, result label for returns, expected event for divergences. */
  readonly label: string;
  /** Refused: the rule. Return: the op it answers, when the lane has several pending. Diverged: what the model expected. */
  readonly note: string | null;
  /** Index of the history event drawn (invoke/return rows). */
  readonly event: number | null;
}

/** A pending op: a bar in its lane's slot from its invoke row to its return row. */
export interface TimelineBar {
  readonly lane: number;
  readonly slot: number;
  /** Row index of the invoke. */
  readonly from: number;
  /** Row index of the return; `null` when the op never returned (the bar stays open). */
  readonly to: number | null;
  readonly label: string;
}

/** How the verdict is drawn: good, a broken rule, a run that did not end, or anything else. */
export type VerdictTone = "ok" | "violation" | "end" | "other";

/** A timeline laid out independently of the medium (text or SVG); renderers only draw it. */
export interface Timeline {
  readonly scenario: string;
  /** Legend entries, one per socket. */
  readonly sockets: readonly string[];
  readonly lanes: readonly TimelineLane[];
  readonly rows: readonly TimelineRow[];
  readonly bars: readonly TimelineBar[];
  readonly verdict: {
    readonly tone: VerdictTone;
    /** `ok`, `busy-recv at step 1 by main/t1`, `stuck`... */
    readonly headline: string;
    readonly sentence: string;
  };
  /** The one line that reproduces the run. */
  readonly replay: string;
}

const OK_SENTENCE = "every step was legal and no op was left pending; the process can exit.";

function laneFor(lanes: TimelineLane[], actor: ActorId, names?: TimelineInput["actorNames"]): number {
  const i = lanes.findIndex((l) => sameActor(l.actor, actor));
  if (i >= 0) return i;
  const named = names?.find((n) => sameActor(n.actor, actor))?.name;
  lanes.push({ actor, name: named === undefined ? actorName(actor) : `${actorName(actor)} ${named}`, slots: 1 });
  return lanes.length - 1;
}

function describeEvent(e: HistoryEvent | undefined, labels: LabelOptions): string {
  if (e === undefined) return "no further event";
  const who = actorName(e.actor);
  return e.kind === "invoke" ? `${who} ${opLabel(e.op, labels)}` : `${who} → ${resultLabel(e.result, labels)}`;
}

/** The verdict's headline: the label, and for a refused step where and by whom. */
function headline(v: VerdictLike, names?: TimelineInput["actorNames"]): string {
  const label = v.rule ?? v.kind;
  if (v.rule === undefined) return label;
  const at = v.step === undefined ? "" : ` at step ${v.step}`;
  const actor = v.actor;
  const named = actor === undefined ? undefined : names?.find((n) => sameActor(n.actor, actor))?.name;
  const by = actor === undefined ? "" : ` by ${actorName(actor)}${named === undefined ? "" : ` (${named})`}`;
  return `${label}${at}${by}`;
}

function tone(v: VerdictLike): VerdictTone {
  if (v.kind === "ok") return "ok";
  if (v.kind === "violation" || v.rule !== undefined) return "violation";
  if (v.kind === "stuck" || v.kind === "exit-hang") return "end";
  return "other";
}

/**
 * Lays a run out as lanes (one per actor, in program order), rows (one per history event,
 * plus the refused step and the divergence point) and bars (one per op from invoke to
 * return, open when it never returned).
 */
export function buildTimeline(input: TimelineInput, labels: LabelOptions = {}): Timeline {
  const { interleaving, history, verdict } = input;
  const lanes: TimelineLane[] = [];
  const names = input.actorNames;
  const lane = (actor: ActorId): number => laneFor(lanes, actor, names);
  for (const p of [...interleaving.programs].sort((a, b) => compareActors(a.actor, b.actor))) lane(p.actor);
  const rows: TimelineRow[] = [];
  const bars: { lane: number; slot: number; from: number; to: number | null; label: string }[] = [];
  // Open ops by lane and program index; slot use per lane.
  const open = new Map<string, number>();
  const used: boolean[][] = [];
  const divergedAt = input.divergedAt ?? undefined;
  const divergenceRow = (at: number): void => {
    const real = history[at];
    const expected = input.predicted?.[at];
    const who = expected?.actor ?? real?.actor;
    rows.push({
      kind: "diverged",
      step: real?.step ?? null,
      lane: who === undefined ? 0 : lane(who),
      slot: 0,
      label: real === undefined ? "the real run stopped here" : "the real run differs from here",
      note: input.predicted === undefined ? null : `model expected ${describeEvent(expected, labels)}`,
      event: null,
    });
  };
  history.forEach((e, i) => {
    if (divergedAt === i) divergenceRow(i);
    const li = lane(e.actor);
    const slotsInLane = (used[li] ??= []);
    const key = `${li}:${e.index}`;
    if (e.kind === "invoke") {
      let slot = slotsInLane.indexOf(false);
      if (slot < 0) slot = slotsInLane.length;
      slotsInLane[slot] = true;
      const label = opLabel(e.op, labels);
      open.set(key, bars.length);
      bars.push({ lane: li, slot, from: rows.length, to: null, label });
      rows.push({ kind: "invoke", step: e.step, lane: li, slot, label, note: null, event: i });
    } else {
      const b = open.get(key);
      const bar = b === undefined ? undefined : bars[b];
      const pendingInLane = slotsInLane.filter((x) => x).length;
      if (bar !== undefined) {
        bar.to = rows.length;
        slotsInLane[bar.slot] = false;
        open.delete(key);
      }
      const note = bar !== undefined && pendingInLane > 1 ? bar.label : null;
      rows.push({ kind: "return", step: e.step, lane: li, slot: bar?.slot ?? 0, label: resultLabel(e.result, labels), note, event: i });
    }
  });
  if (divergedAt !== undefined && divergedAt >= history.length) divergenceRow(divergedAt);
  if (verdict.rule !== undefined && verdict.actor !== undefined && verdict.op !== undefined) {
    rows.push({
      kind: "refused",
      step: verdict.step ?? null,
      lane: lane(verdict.actor),
      slot: 0,
      label: opLabel(verdict.op, labels),
      note: verdict.rule,
      event: null,
    });
  }
  const finalLanes = lanes.map((l, i) => ({ ...l, slots: Math.max(1, used[i]?.length ?? 0) }));
  const replayInfo = { interleaving, ...(input.seed === undefined ? {} : { seed: input.seed }), ...(input.path === undefined ? {} : { path: input.path }) };
  return {
    scenario: input.scenarioLabel ?? scenarioLabel(interleaving.scenario),
    sockets: interleaving.scenario.sockets.map((s) => socketLabel(s, labels)),
    lanes: finalLanes,
    rows,
    bars,
    verdict: { tone: tone(verdict), headline: headline(verdict, names), sentence: verdict.message ?? (verdict.kind === "ok" ? OK_SENTENCE : `the run ended with verdict ${verdict.kind}.`) },
    replay: writeReplay({ ...replayInfo, verdict: verdict.rule ?? verdict.kind }),
  };
}
