import { textWidth, truncate, wrapItems, wrapWords } from "./fit.js";
import { checkTimelineInput, svgOptions } from "./inputs.js";
import type { LabelOptions } from "./labels.js";
import { buildTimeline, type Timeline, type TimelineInput, type TimelineRow, type VerdictTone } from "./timeline.js";

/** Options of the SVG and HTML timelines. */
export interface SvgTimelineOptions extends LabelOptions {
  /** Longest row label in characters before it is cut (the full text stays in a tooltip). Default 80. */
  readonly maxLabel?: number;
}

// Layout in pixels; text is monospace, so a character is about 0.6 em wide.
const FONT = `ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace`;
const FONT_SIZE = 13;
const CW = 8;
const PAD = 16;
const LINE = 18;
const ROW = 24;
const SLOT = 14;
const STEP_COL = 6 * CW;
const MIN_LANE = 150;

const TONE_COLOR: Readonly<Record<VerdictTone, string>> = { ok: "#15803d", violation: "#b91c1c", end: "#b45309", other: "#6d28d9" };
const TONE_MARK: Readonly<Record<VerdictTone, string>> = { ok: "✓", violation: "✗", end: "■", other: "≠" };

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

function rowText(row: TimelineRow): string {
  switch (row.kind) {
    case "invoke":
      return row.label;
    case "return":
      return row.note === null ? row.label : `${row.label} (${row.note})`;
    case "refused":
      return `${row.note ?? "refused"}: ${row.label}`;
    case "diverged":
      return row.note === null ? row.label : `${row.label}; ${row.note}`;
  }
}

/** Splits the replay line at ` | ` section breaks into lines of about `width` characters. */
function breakReplay(line: string, width: number): string[] {
  const parts = line.split(" | ");
  const out: string[] = [];
  let cur = "";
  for (const [i, p] of parts.entries()) {
    const piece = i === 0 ? p : ` | ${p}`;
    if (cur !== "" && textWidth(cur) + textWidth(piece) > width) {
      out.push(cur);
      cur = piece.trimStart();
    } else cur += piece;
  }
  out.push(cur);
  return out;
}

interface SvgParts {
  readonly width: number;
  readonly height: number;
  readonly body: string[];
}

function layout(t: Timeline, options: SvgTimelineOptions, withReplay: boolean): SvgParts {
  const ascii = options.ascii === true;
  const maxLabel = options.maxLabel ?? 80;
  const texts = t.rows.map((r) => truncate(rowText(r), maxLabel, ascii));
  const openBars = t.bars.filter((b) => b.to === null);
  const laneW = t.lanes.map((l, li) => {
    const chars = Math.max(textWidth(l.name), ...texts.filter((_, r) => t.rows[r]?.lane === li).map((s) => textWidth(s) + 2), openBars.some((b) => b.lane === li) ? 15 : 0);
    return Math.max(MIN_LANE, (l.slots + 1) * SLOT + chars * CW + 16);
  });
  const laneX: number[] = [];
  let x = PAD + STEP_COL;
  for (const w of laneW) {
    laneX.push(x);
    x += w;
  }
  const width = Math.max(x + PAD, 640);
  const chars = Math.floor((width - 2 * PAD) / CW);
  const body: string[] = [];
  let y = PAD + FONT_SIZE;
  const text = (tx: number, ty: number, s: string, attrs = ""): string => `<text x="${tx}" y="${ty}"${attrs === "" ? "" : ` ${attrs}`}>${escapeXml(s)}</text>`;

  body.push(text(PAD, y, `scenario: ${t.scenario}`, `class="meta"`));
  y += LINE;
  const legend = t.sockets.length === 0 ? ["(none)"] : t.sockets;
  for (const [i, l] of wrapItems(legend, " · ", chars - 9).entries()) {
    body.push(text(PAD, y, `${i === 0 ? "sockets: " : "         "}${l}`, `class="meta" xml:space="preserve"`));
    y += LINE;
  }
  y += 6;
  const headY = y;
  const rowsTop = headY + 10;
  const rowCount = t.rows.length + (openBars.length > 0 ? 1 : 0) + (t.rows.length === 0 ? 1 : 0);
  const rowsBottom = rowsTop + rowCount * ROW;
  const rowY = (r: number) => rowsTop + r * ROW;
  const mid = (r: number) => rowY(r) + ROW / 2;

  // Lanes: striped backgrounds and headers.
  t.lanes.forEach((l, li) => {
    const lx = laneX[li] ?? 0;
    const w = laneW[li] ?? 0;
    if (li % 2 === 0) body.push(`<rect x="${lx}" y="${headY - FONT_SIZE}" width="${w}" height="${rowsBottom - headY + FONT_SIZE}" fill="#f3f5f8"/>`);
    body.push(text(lx + 6, headY, l.name, `class="lane" data-actor="${escapeXml(l.name)}"`));
  });
  body.push(text(PAD, headY, "step", `class="step"`));
  body.push(`<line x1="${PAD}" y1="${headY + 5}" x2="${width - PAD}" y2="${headY + 5}" stroke="#9aa4b2"/>`);

  // Row bands for the refused step and the divergence point.
  t.rows.forEach((row, r) => {
    if (row.kind === "refused" || row.kind === "diverged") {
      body.push(`<rect x="${PAD}" y="${rowY(r) + 1}" width="${width - 2 * PAD}" height="${ROW - 2}" rx="3" fill="${row.kind === "refused" ? "#fde2e2" : "#fff1cc"}"/>`);
    }
  });

  // Bars: one per op, from invoke to return, dashed past the last row when it never returned.
  for (const b of t.bars) {
    const bx = (laneX[b.lane] ?? 0) + 10 + b.slot * SLOT;
    const y1 = mid(b.from);
    const y2 = b.to === null ? mid(t.rows.length) : mid(b.to);
    body.push(`<line x1="${bx}" y1="${y1}" x2="${bx}" y2="${b.to === null ? mid(t.rows.length - 1) : y2}" stroke="#2563eb" stroke-width="4" stroke-linecap="round"/>`);
    if (b.to === null) body.push(`<line x1="${bx}" y1="${mid(t.rows.length - 1)}" x2="${bx}" y2="${y2 + ROW / 2}" stroke="#2563eb" stroke-width="4" stroke-dasharray="4 4"/>`);
    body.push(`<circle cx="${bx}" cy="${y1}" r="5" fill="#2563eb"/>`);
    if (b.to !== null) body.push(`<line x1="${bx - 5}" y1="${y2}" x2="${bx + 5}" y2="${y2}" stroke="#2563eb" stroke-width="3"/>`);
  }

  // Rows: step numbers and labels.
  let lastStep: number | null = null;
  t.rows.forEach((row, r) => {
    const lane = t.lanes[row.lane];
    const lx = laneX[row.lane] ?? 0;
    const tx = lx + 10 + (lane?.slots ?? 1) * SLOT + 2;
    const ty = mid(r) + 4;
    const full = rowText(row);
    const label = texts[r] ?? full;
    const attrs = [`class="row ${row.kind}"`, `data-kind="${row.kind}"`, `data-step="${row.step ?? ""}"`, `data-actor="${escapeXml(lane?.name ?? "")}"`, `data-label="${escapeXml(row.label)}"`];
    if (row.note !== null) attrs.push(`data-note="${escapeXml(row.note)}"`);
    const parts: string[] = [`<title>${escapeXml(full)}</title>`];
    if (row.step !== null && row.step !== lastStep) parts.push(text(PAD + STEP_COL - 14, ty, String(row.step), `class="step" text-anchor="end"`));
    if (row.step !== null) lastStep = row.step;
    const bx = lx + 10 + row.slot * SLOT;
    if (row.kind === "invoke" || row.kind === "return") {
      parts.push(`<line x1="${bx}" y1="${mid(r)}" x2="${tx - 4}" y2="${mid(r)}" stroke="#2563eb" stroke-width="1.5"/>`);
      const err = row.kind === "return" && /^(throws|rejects) /.test(row.label);
      parts.push(text(tx, ty, label, `class="${row.kind === "invoke" ? "op" : err ? "result error" : "result"}"`));
    } else {
      // The mark stands right of the lane's bars, as in the text timeline.
      parts.push(text(tx, ty, row.kind === "refused" ? "✗" : "≠", `class="${row.kind}"`));
      parts.push(text(tx + 2 * CW, ty, label, `class="${row.kind}"`));
    }
    body.push(`<g ${attrs.join(" ")}>${parts.join("")}</g>`);
  });
  if (t.rows.length === 0) body.push(text((laneX[0] ?? PAD) + 10, mid(0) + 4, "(no events)", `class="muted"`));
  for (const li of new Set(openBars.map((b) => b.lane))) {
    const lane = t.lanes[li];
    body.push(text((laneX[li] ?? 0) + 10 + (lane?.slots ?? 1) * SLOT + 2, mid(t.rows.length) + 4, "never returned", `class="muted open"`));
  }

  // Verdict, then the replay line.
  y = rowsBottom + 14 + FONT_SIZE;
  const color = TONE_COLOR[t.verdict.tone];
  body.push(text(PAD, y, `${TONE_MARK[t.verdict.tone]} ${t.verdict.headline}`, `class="verdict" style="fill:${color}" data-tone="${t.verdict.tone}"`));
  y += LINE;
  for (const l of wrapWords(t.verdict.sentence, chars)) {
    body.push(text(PAD, y, l, `class="sentence"`));
    y += LINE;
  }
  if (withReplay) {
    y += 6;
    const lines = breakReplay(t.replay, Math.floor((width - 2 * PAD) / 7));
    body.push(`<g class="replay" data-replay="${escapeXml(t.replay)}">${lines.map((l, i) => text(PAD, y + i * 15, l, `xml:space="preserve"`)).join("")}</g>`);
    y += lines.length * 15;
  }
  return { width, height: y + PAD, body };
}

function svgElement(t: Timeline, options: SvgTimelineOptions, withReplay: boolean): string {
  const { width, height, body } = layout(t, options, withReplay);
  const style = [
    `text{font-family:${FONT};font-size:${FONT_SIZE}px;fill:#111827}`,
    `.meta{fill:#374151}.lane{font-weight:bold}.step{fill:#6b7280}`,
    `.result{fill:#1e3a8a}.error{fill:#b91c1c}.muted{fill:#6b7280;font-style:italic}`,
    `.refused{fill:#b91c1c;font-weight:bold}.diverged{fill:#b45309;font-weight:bold}.verdict{font-weight:bold}`,
    `.replay text{font-size:11px;fill:#4b5563}`,
  ].join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(`timeline: ${t.verdict.headline}`)}">`,
    `<title>${escapeXml(`zmq-interleave timeline: ${t.verdict.headline}`)}</title>`,
    `<style>${style}</style>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    `</svg>`,
  ].join("\n");
}

/** Draws a laid-out timeline as a standalone SVG document (with its XML declaration). */
export function drawTimelineSvg(t: Timeline, options: SvgTimelineOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgElement(t, options, true)}\n`;
}

/** The timeline of a run as a standalone SVG document: the same rows as `renderTimeline`, with inline styles only. */
export function renderTimelineSvg(input: TimelineInput, options: SvgTimelineOptions = {}): string {
  const o = svgOptions("renderTimelineSvg", options);
  return drawTimelineSvg(buildTimeline(checkTimelineInput("renderTimelineSvg", input), o), o);
}

/**
 * The timeline of a run as a self-contained HTML page: the SVG inline, then the replay line as
 * selectable text. No scripts and no external resources.
 */
export function renderTimelineHtml(input: TimelineInput, options: SvgTimelineOptions = {}): string {
  const o = svgOptions("renderTimelineHtml", options);
  return drawTimelineHtml(buildTimeline(checkTimelineInput("renderTimelineHtml", input), o), o);
}

/** Draws a laid-out timeline as a self-contained HTML page. */
export function drawTimelineHtml(t: Timeline, options: SvgTimelineOptions = {}): string {
  const title = `zmq-interleave: ${t.verdict.headline}`;
  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8"/>`,
    `<title>${escapeXml(title)}</title>`,
    `<style>body{margin:24px;background:#fff;color:#111827;font-family:system-ui,sans-serif}`,
    `h1{font-size:16px;margin:0 0 12px}svg{display:block;max-width:100%;height:auto}`,
    `.replay{font-family:${FONT};font-size:12px;color:#374151;white-space:pre-wrap;word-break:break-all;margin-top:12px}</style>`,
    `</head>`,
    `<body>`,
    `<h1>${escapeXml(title)}</h1>`,
    svgElement(t, options, false),
    `<p class="replay"><code>${escapeXml(t.replay)}</code></p>`,
    `</body>`,
    `</html>`,
    ``,
  ].join("\n");
}
