import { padEnd, textWidth, truncate, wrapItems, wrapWords } from "./fit.js";
import { checkTimelineInput, textOptions } from "./inputs.js";
import type { LabelOptions } from "./labels.js";
import { buildTimeline, type Timeline, type TimelineInput, type TimelineRow, type VerdictTone } from "./timeline.js";

/** Options of the text timeline. */
export interface TextTimelineOptions extends LabelOptions {
  /** Target line width in columns (lanes shrink and labels are cut to fit). Default 100. */
  readonly width?: number;
  /** End with the replay line (default true). */
  readonly replayLine?: boolean;
}

/** Default line width of the text timeline. */
export const DEFAULT_WIDTH = 100;

/** The glyphs of one drawing mode. */
interface Glyphs {
  readonly bar: string;
  readonly start: string;
  readonly end: string;
  readonly line: string;
  readonly cross: string;
  readonly open: string;
  readonly refused: string;
  readonly diverged: string;
  readonly rule: string;
  readonly sep: string;
  readonly verdict: Readonly<Record<VerdictTone, string>>;
}

const UNICODE: Glyphs = {
  bar: "│",
  start: "┌",
  end: "└",
  line: "─",
  cross: "┼",
  open: "┆",
  refused: "✗",
  diverged: "≠",
  rule: "─",
  sep: " │ ",
  verdict: { ok: "✓", violation: "✗", end: "■", other: "≠" },
};

const ASCII: Glyphs = {
  bar: "|",
  start: "+",
  end: "+",
  line: "-",
  cross: "+",
  open: ":",
  refused: "X",
  diverged: "!",
  rule: "-",
  sep: " | ",
  verdict: { ok: "+", violation: "X", end: "!", other: "!" },
};

const GAP = 2;
const MIN_LANE = 12;
const NEVER_RETURNED = "never returned";

/** The text a row shows after its lane's bar slots. */
function rowText(row: TimelineRow, g: Glyphs): string {
  switch (row.kind) {
    case "invoke":
      return `${g.line} ${row.label}`;
    case "return":
      return `${g.line} ${row.label}${row.note === null ? "" : ` (${row.note})`}`;
    case "refused":
      return ` ${row.note ?? "refused"}: ${row.label}`;
    case "diverged":
      return ` ${row.label}${row.note === null ? "" : `; ${row.note}`}`;
  }
}

/** Lane widths: natural widths if they fit, else the widest lanes cut down to a common cap. */
function laneWidths(natural: readonly number[], budget: number): number[] {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  if (sum(natural) <= budget) return [...natural];
  let cap = Math.max(...natural);
  while (cap > MIN_LANE && sum(natural.map((w) => Math.min(w, cap))) > budget) cap--;
  return natural.map((w) => Math.min(w, cap));
}

/** Draws a laid-out timeline as text lines. */
export function drawTimelineText(t: Timeline, options: TextTimelineOptions = {}): string {
  const ascii = options.ascii === true;
  const g = ascii ? ASCII : UNICODE;
  const width = options.width ?? DEFAULT_WIDTH;
  const stepWidth = Math.max(4, ...t.rows.map((r) => String(r.step ?? "").length));
  const openBars = t.bars.filter((b) => b.to === null);
  // Row index -> per lane, per slot: the glyph of the bar there.
  const slotGlyph = (lane: number, slot: number, row: number): string => {
    for (const b of t.bars) {
      if (b.lane !== lane || b.slot !== slot) continue;
      if (b.from === row) return g.start;
      if (b.to === row) return g.end;
      if (b.from < row && (b.to === null || row < b.to)) return row >= t.rows.length ? g.open : g.bar;
    }
    return " ";
  };
  const rowCount = t.rows.length + (openBars.length > 0 ? 1 : 0);
  const cells: string[][] = [];
  for (let r = 0; r < rowCount; r++) {
    const row = t.rows[r];
    cells.push(
      t.lanes.map((lane, li) => {
        const slots = Array.from({ length: lane.slots }, (_, s) => slotGlyph(li, s, r));
        if (row === undefined) {
          return openBars.some((b) => b.lane === li) ? `${slots.join("")} ${NEVER_RETURNED}` : slots.join("");
        }
        if (row.lane !== li) return slots.join("");
        if (row.kind === "invoke" || row.kind === "return") {
          for (let s = row.slot + 1; s < slots.length; s++) slots[s] = slots[s] === g.bar ? g.cross : g.line;
        } else {
          // The mark takes the first free slot, or goes after the bars when every slot is busy.
          const mark = row.kind === "refused" ? g.refused : g.diverged;
          const free = slots.indexOf(" ");
          if (free < 0) slots.push(` ${mark}`);
          else slots[free] = mark;
        }
        return slots.join("") + rowText(row, g);
      }),
    );
  }
  if (rowCount === 0) cells.push(t.lanes.map((_, li) => (li === 0 ? "(no events)" : "")));
  const natural = t.lanes.map((l, li) => Math.max(textWidth(l.name), ...cells.map((c) => textWidth(c[li] ?? ""))));
  const widths = laneWidths(natural, width - stepWidth - GAP - GAP * Math.max(0, t.lanes.length - 1));
  const line = (step: string, lanes: readonly string[]): string =>
    (padEnd(step.padStart(stepWidth), stepWidth) + " ".repeat(GAP) + lanes.map((c, i) => padEnd(truncate(c, widths[i] ?? MIN_LANE, ascii), widths[i] ?? 0)).join(" ".repeat(GAP))).trimEnd();

  const out: string[] = [];
  out.push(truncate(`scenario: ${t.scenario}`, width, ascii));
  const legend = t.sockets.length === 0 ? ["(none)"] : t.sockets;
  wrapItems(legend, g.sep, width - 9).forEach((l, i) => out.push(`${i === 0 ? "sockets: " : "         "}${l}`));
  out.push(line("step", t.lanes.map((l) => l.name)));
  out.push(line(g.rule.repeat(4), widths.map((w) => g.rule.repeat(w))));
  let lastStep: number | null = null;
  cells.forEach((c, r) => {
    const step = t.rows[r]?.step ?? null;
    const label = step !== null && step !== lastStep ? String(step) : "";
    if (step !== null) lastStep = step;
    out.push(line(label, c));
  });
  const head = `${g.verdict[t.verdict.tone]} ${t.verdict.headline}: `;
  wrapWords(head + t.verdict.sentence, width - 2).forEach((l, i) => out.push(i === 0 ? l : `  ${l}`));
  if (options.replayLine !== false) out.push(t.replay);
  return out.join("\n");
}

/**
 * The swimlane timeline of a run as text: a legend of the sockets, one column per actor, one
 * row per event (pending ops as bars from invoke to return, left open when they never
 * return), the refused step marked with its rule, the verdict in one sentence, and the
 * replay line. Unicode box drawing by default; `ascii: true` for logs that cannot show it.
 */
export function renderTimeline(input: TimelineInput, options: TextTimelineOptions = {}): string {
  const o = textOptions("renderTimeline", options);
  return drawTimelineText(buildTimeline(checkTimelineInput("renderTimeline", input), o), o);
}
