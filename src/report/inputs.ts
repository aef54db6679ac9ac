import { InvalidOptionsError } from "../errors.js";
import { flag, optionsRecord, wholeNumber } from "../input/options.js";
import { showValue } from "../input/show.js";
import { MAX_TEXT } from "../interleaving/validate.js";
import type { SvgTimelineOptions } from "./svg.js";
import type { TextTimelineOptions } from "./text.js";
import type { TimelineInput } from "./timeline.js";

/**
 * The checks of the report functions' arguments, made before anything is drawn: a timeline's
 * input (a `RunResult`, a `CheckResult` with its interleaving, or any `TimelineInput`) and
 * the options of each renderer, unknown keys and wrong types included.
 */

/** Option keys of the text timeline. */
export const TEXT_OPTION_KEYS = ["width", "replayLine", "maxPayload", "ascii"] as const;
/** Option keys of the SVG and HTML timelines. */
export const SVG_OPTION_KEYS = ["maxLabel", "maxPayload", "ascii"] as const;

/** Narrowest and widest text timeline, in columns. */
const WIDTH = { min: 40, max: 10_000 } as const;

function isInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isActor(x: unknown): boolean {
  return isRecord(x) && isInteger(x.thread) && isInteger(x.task);
}

/**
 * What keeps `x` from being drawn, or null: the shape a timeline reads (a scenario with
 * sockets, programs with actors and ops, a schedule). Weaker than `validateInterleaving` on
 * purpose: a run of user code is drawn even where its scenario would not validate (an owner
 * task that ran no op of its own).
 */
function shapeProblem(x: unknown): string | null {
  if (!isRecord(x)) return `must be an object { scenario, programs, schedule }, got ${showValue(x)}`;
  const sc = x.scenario;
  if (!isRecord(sc) || typeof sc.ownership !== "string" || typeof sc.transport !== "string" || !Array.isArray(sc.sockets)) return `has no scenario { ownership, transport, sockets }`;
  for (const [i, s] of sc.sockets.entries()) {
    const ok = isRecord(s) && typeof s.id === "string" && typeof s.type === "string" && isActor(s.owner) && typeof s.endpoint === "string" && typeof s.role === "string" && Array.isArray(s.subscriptions) && s.subscriptions.every((t) => typeof t === "string") && isInteger(s.linger);
    if (!ok) return `has a socket that is not a socket spec (scenario.sockets[${i}]: ${showValue(s)}); check it with validateInterleaving`;
  }
  if (!Array.isArray(x.programs)) return "has no programs array";
  for (const [i, p] of x.programs.entries()) {
    if (!isRecord(p) || !isActor(p.actor) || !Array.isArray(p.ops) || !p.ops.every((op) => isRecord(op) && typeof op.kind === "string")) {
      return `has a program that is not { actor, ops } (programs[${i}]); check it with validateInterleaving`;
    }
  }
  if (!Array.isArray(x.schedule) || !x.schedule.every((c) => isInteger(c) && (c as number) >= 0)) return "has no schedule (an array of non-negative integers)";
  return null;
}

/**
 * Throws a typed error unless `input` is something a timeline can be drawn from: an object
 * with an `interleaving` of the right shape, a `history` array of events and a
 * `verdict` with a `kind`; `divergedAt` (a number or null), `predicted`, `seed` and `path`
 * are checked when present. Other fields (a `RunResult`'s `durationMs`...) are left alone.
 */
export function checkTimelineInput(where: string, input: unknown): TimelineInput {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InvalidOptionsError(`${where}: expected a run to draw (a RunResult, a CheckResult with its interleaving, or { interleaving, history, verdict }), got ${showValue(input)}`);
  }
  const r = input as Record<string, unknown>;
  const shape = shapeProblem(r.interleaving);
  if (shape !== null) throw new InvalidOptionsError(`${where}: the run's interleaving ${shape}`);
  if (!Array.isArray(r.history) || !r.history.every((e) => isRecord(e) && (e.kind === "invoke" || e.kind === "return") && isActor(e.actor) && isInteger(e.index))) {
    throw new InvalidOptionsError(`${where}: history must be an array of invoke and return events, got ${showValue(r.history)}`);
  }
  const v = r.verdict;
  if (typeof v !== "object" || v === null || typeof (v as { kind?: unknown }).kind !== "string") throw new InvalidOptionsError(`${where}: verdict must be an object with a kind ("ok", "violation"...), got ${showValue(v)}`);
  if (r.divergedAt !== undefined && r.divergedAt !== null && !(isInteger(r.divergedAt) && (r.divergedAt as number) >= 0)) throw new InvalidOptionsError(`${where}: divergedAt must be an index into history or null, got ${showValue(r.divergedAt)}`);
  if (r.predicted !== undefined && !Array.isArray(r.predicted)) throw new InvalidOptionsError(`${where}: predicted must be an array of events, got ${showValue(r.predicted)}`);
  if (r.seed !== undefined && !isInteger(r.seed)) throw new InvalidOptionsError(`${where}: seed must be an integer, got ${showValue(r.seed)}`);
  if (r.path !== undefined && typeof r.path !== "string") throw new InvalidOptionsError(`${where}: path must be a string such as "0:1:2", got ${showValue(r.path)}`);
  return input as TimelineInput;
}

function checkLabelOptions(where: string, o: Readonly<Record<string, unknown>>): void {
  wholeNumber(`${where}: maxPayload`, o.maxPayload, 1, MAX_TEXT, 1);
  flag(`${where}: ascii`, o.ascii, false);
}

/** Checks the options of the text timeline (unknown keys rejected; `extra` names keys a caller adds) and returns them. */
export function textOptions<T extends TextTimelineOptions>(where: string, options: T | undefined, extra: readonly string[] = []): T {
  const o = optionsRecord(where, options, [...TEXT_OPTION_KEYS, ...extra]);
  checkLabelOptions(where, o);
  wholeNumber(`${where}: width`, o.width, WIDTH.min, WIDTH.max, WIDTH.min);
  flag(`${where}: replayLine`, o.replayLine, true);
  return o as T;
}

/** Checks the options of the SVG and HTML timelines (unknown keys rejected) and returns them. */
export function svgOptions<T extends SvgTimelineOptions>(where: string, options: T | undefined, extra: readonly string[] = []): T {
  const o = optionsRecord(where, options, [...SVG_OPTION_KEYS, ...extra]);
  checkLabelOptions(where, o);
  wholeNumber(`${where}: maxLabel`, o.maxLabel, 8, 10_000, 8);
  return o as T;
}
