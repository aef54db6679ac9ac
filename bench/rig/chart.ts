/**
 * Renders suites' panels into one SVG that reads without the JSON: grouped bars with IQR
 * whiskers and value labels (throughput, ratios), grids of coloured cells (shutdown
 * outcomes), and lines of notes. Half-width panels flow two to a row.
 */
import { formatValue } from "./format.js";
import type { ValueFormat } from "./format.js";
import type { Summary } from "./stats.js";

/** The colour class of a grid cell. */
export type Tone = "good" | "slow" | "hang" | "abort" | "crash" | "none";

/** One series of a bar panel: a short name for the legend and its colour. */
export interface Series {
  readonly name: string;
  readonly color: string;
}

/** A row of a grid: a section heading, or a label with one cell per column. */
export type GridRow =
  | { readonly kind: "section"; readonly label: string }
  | {
      readonly kind: "row";
      readonly label: string;
      /** a cell's text may have a second line after "\n", printed smaller */
      readonly cells: readonly { readonly text: string; readonly tone: Tone }[];
    };

/** One panel of the chart. */
export type Panel =
  | {
      readonly kind: "bars";
      readonly title: string;
      readonly subtitle?: string;
      readonly width: "half" | "full";
      /** how values are printed (rate 271k, ratio 0.97, ms) */
      readonly format: ValueFormat;
      readonly series: readonly Series[];
      /** one group per x category; `values[i]` belongs to `series[i]` */
      readonly groups: readonly { readonly label: string; readonly values: readonly (Summary | undefined)[] }[];
      /** horizontal reference lines, e.g. 0.95 of the ceiling */
      readonly references?: readonly { readonly value: number; readonly label: string }[];
    }
  | {
      readonly kind: "grid";
      readonly title: string;
      readonly subtitle?: string;
      readonly columnGroups: readonly { readonly label: string; readonly span: number }[];
      readonly columns: readonly string[];
      readonly rows: readonly GridRow[];
      readonly legend: readonly { readonly tone: Tone; readonly label: string }[];
    }
  | { readonly kind: "note"; readonly title: string; readonly lines: readonly string[] };

const canvasWidth = 1000;
const gap = 16;
const toneFill: Readonly<Record<Tone, string>> = {
  good: "#cfe8c6",
  slow: "#fff0a8",
  hang: "#fdc48c",
  abort: "#f19c9c",
  crash: "#d6bdf2",
  none: "#eeeeee",
};

/** The whole chart as an SVG document. */
export function renderChart(title: string, subtitle: string, panels: readonly Panel[]): string {
  const parts: string[] = [];
  let y = 56;
  let column = 0;
  let rowHeight = 0;
  const half = (canvasWidth - 3 * gap) / 2;
  for (const panel of panels) {
    const isHalf = panel.kind === "bars" && panel.width === "half";
    if (!isHalf && column === 1) {
      y += rowHeight + gap;
      column = 0;
      rowHeight = 0;
    }
    const width = isHalf ? half : canvasWidth - 2 * gap;
    const x = gap + (isHalf && column === 1 ? half + gap : 0);
    const { svg, height } = renderPanel(panel, width);
    parts.push(`<g transform="translate(${x},${y})">${svg}</g>`);
    if (isHalf && column === 0) {
      column = 1;
      rowHeight = height;
    } else {
      y += Math.max(rowHeight, height) + gap;
      column = 0;
      rowHeight = 0;
    }
  }
  if (column === 1) y += rowHeight + gap;
  const height = Math.ceil(y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasWidth}" height="${height}" viewBox="0 0 ${canvasWidth} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(gap, 26, title, { size: 18, weight: "bold" }),
    text(gap, 44, subtitle, { size: 11, fill: "#555" }),
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

function renderPanel(panel: Panel, width: number): { svg: string; height: number } {
  switch (panel.kind) {
    case "bars":
      return renderBars(panel, width);
    case "grid":
      return renderGrid(panel, width);
    case "note":
      return renderNote(panel, width);
  }
}

function renderBars(panel: Extract<Panel, { kind: "bars" }>, width: number): { svg: string; height: number } {
  const top = panel.subtitle === undefined ? 30 : 44;
  const plotHeight = 170;
  const left = 46;
  const right = (panel.references ?? []).length > 0 ? 36 : 8;
  const plotWidth = width - left - right;
  const labelLines = Math.max(1, ...panel.groups.map((g) => g.label.split("\n").length));
  const bottom = 20 + 11 * labelLines + 16;
  const out: string[] = [frame(width, top + plotHeight + bottom), heading(panel.title, panel.subtitle)];
  const values = panel.groups.flatMap((g) => g.values.flatMap((v) => (v === undefined ? [] : [v.q3, v.median])));
  const refs = panel.references ?? [];
  const peak = Math.max(0, ...values, ...refs.map((r) => r.value));
  const ticks = niceTicks(peak * 1.12);
  const yMax = ticks[ticks.length - 1] ?? 1;
  const yOf = (v: number): number => top + plotHeight - (v / yMax) * plotHeight;
  for (const t of ticks) {
    const ty = yOf(t);
    out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${ty}" y2="${ty}" stroke="#e3e3e3"/>`);
    out.push(text(left - 4, ty + 3, formatValue(t, panel.format), { size: 9, anchor: "end", fill: "#666" }));
  }
  const groupWidth = plotWidth / Math.max(1, panel.groups.length);
  const barWidth = (groupWidth * 0.82) / Math.max(1, panel.series.length);
  panel.groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + groupWidth * 0.09;
    group.values.forEach((v, s) => {
      if (v === undefined) return;
      const color = panel.series[s]?.color ?? "#888";
      const bx = x0 + s * barWidth;
      const cx = bx + barWidth / 2;
      out.push(`<rect x="${round(bx + 0.5)}" y="${round(yOf(v.median))}" width="${round(Math.max(1, barWidth - 1))}" height="${round(yOf(0) - yOf(v.median))}" fill="${color}"/>`);
      out.push(`<line x1="${round(cx)}" x2="${round(cx)}" y1="${round(yOf(v.q1))}" y2="${round(yOf(v.q3))}" stroke="#222" stroke-width="1"/>`);
      out.push(`<line x1="${round(cx - 2.5)}" x2="${round(cx + 2.5)}" y1="${round(yOf(v.q3))}" y2="${round(yOf(v.q3))}" stroke="#222"/>`);
      out.push(`<line x1="${round(cx - 2.5)}" x2="${round(cx + 2.5)}" y1="${round(yOf(v.q1))}" y2="${round(yOf(v.q1))}" stroke="#222"/>`);
      const ly = yOf(Math.max(v.q3, v.median)) - 3;
      out.push(`<text x="${round(cx + 3)}" y="${round(ly)}" font-size="8" fill="#333" transform="rotate(-90 ${round(cx + 3)} ${round(ly)})">${escape(formatValue(v.median, panel.format))}</text>`);
    });
    group.label.split("\n").forEach((line, l) => {
      out.push(text(left + g * groupWidth + groupWidth / 2, top + plotHeight + 13 + 11 * l, line, { size: l === 0 ? 10 : 9, anchor: "middle", fill: l === 0 ? "#000" : "#555" }));
    });
  });
  refs.forEach((r, i) => {
    const ry = yOf(r.value);
    out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${ry}" y2="${ry}" stroke="#c0392b" stroke-dasharray="4 3"/>`);
    // alternate sides so labels of close lines do not overlap
    const atRight = i % 2 === 0;
    out.push(text(atRight ? left + plotWidth + 2 : left - 4, ry + 3, r.label, { size: 8, anchor: atRight ? "start" : "end", fill: "#c0392b" }));
  });
  out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${yOf(0)}" y2="${yOf(0)}" stroke="#444"/>`);
  out.push(legend(panel.series, left, top + plotHeight + bottom - 12, plotWidth));
  return { svg: out.join(""), height: top + plotHeight + bottom };
}

function renderGrid(panel: Extract<Panel, { kind: "grid" }>, width: number): { svg: string; height: number } {
  const top = panel.subtitle === undefined ? 30 : 44;
  const rowHeight = 17;
  const labels = panel.rows.map((r) => r.label.length);
  const labelWidth = Math.min(300, 12 + 5.6 * Math.max(10, ...labels));
  const cellWidth = (width - labelWidth - 8) / Math.max(1, panel.columns.length);
  const out: string[] = [heading(panel.title, panel.subtitle)];
  let y = top;
  let col = 0;
  for (const group of panel.columnGroups) {
    const gx = labelWidth + col * cellWidth;
    out.push(`<rect x="${round(gx + 1)}" y="${y}" width="${round(group.span * cellWidth - 2)}" height="${rowHeight - 2}" fill="#e8e8e8"/>`);
    out.push(text(gx + (group.span * cellWidth) / 2, y + 12, group.label, { size: 10, anchor: "middle", weight: "bold" }));
    col += group.span;
  }
  if (panel.columnGroups.length > 0) y += rowHeight;
  panel.columns.forEach((c, i) => out.push(text(labelWidth + i * cellWidth + cellWidth / 2, y + 12, c, { size: 9, anchor: "middle", fill: "#444" })));
  y += rowHeight;
  for (const row of panel.rows) {
    if (row.kind === "section") {
      out.push(text(4, y + 13, row.label, { size: 11, weight: "bold" }));
      y += rowHeight + 2;
      continue;
    }
    const lines = Math.max(1, ...row.cells.map((cell) => cell.text.split("\n").length));
    const height = rowHeight + 10 * (lines - 1);
    out.push(text(labelWidth - 6, y + height / 2 + 4, row.label, { size: 10, anchor: "end" }));
    row.cells.forEach((cell, i) => {
      const cx = labelWidth + i * cellWidth;
      out.push(`<rect x="${round(cx + 1)}" y="${y}" width="${round(cellWidth - 2)}" height="${height - 2}" fill="${toneFill[cell.tone]}"/>`);
      cell.text.split("\n").forEach((line, l) => {
        const size = fitFont(line, cellWidth - 4, l === 0 ? 9 : 8);
        out.push(text(cx + cellWidth / 2, y + 11.5 + 10 * l, line, { size, anchor: "middle", fill: l === 0 ? "#000" : "#444" }));
      });
    });
    y += height;
  }
  y += 6;
  let lx = 4;
  for (const item of panel.legend) {
    out.push(`<rect x="${lx}" y="${y}" width="14" height="11" fill="${toneFill[item.tone]}" stroke="#999" stroke-width="0.5"/>`);
    out.push(text(lx + 18, y + 9.5, item.label, { size: 10 }));
    lx += 26 + item.label.length * 5.6;
    if (lx > width - 140) {
      lx = 4;
      y += 15;
    }
  }
  const height = y + 20;
  return { svg: frame(width, height) + out.join(""), height };
}

function renderNote(panel: Extract<Panel, { kind: "note" }>, width: number): { svg: string; height: number } {
  const out = [heading(panel.title, undefined)];
  panel.lines.forEach((line, i) => out.push(text(8, 34 + i * 15, line, { size: 11 })));
  const height = 34 + panel.lines.length * 15 + 4;
  return { svg: frame(width, height) + out.join(""), height };
}

function legend(series: readonly Series[], x: number, y: number, width: number): string {
  const out: string[] = [];
  const step = Math.min(90, width / Math.max(1, series.length));
  series.forEach((s, i) => {
    out.push(`<rect x="${round(x + i * step)}" y="${y - 8}" width="10" height="10" fill="${s.color}"/>`);
    out.push(text(x + i * step + 13, y + 1, s.name, { size: 10 }));
  });
  return out.join("");
}

function heading(title: string, subtitle: string | undefined): string {
  return text(8, 18, title, { size: 13, weight: "bold" }) + (subtitle === undefined ? "" : text(8, 33, subtitle, { size: 10, fill: "#555" }));
}

function frame(width: number, height: number): string {
  return `<rect x="0" y="0" width="${round(width)}" height="${round(height)}" fill="#fafafa" stroke="#dddddd"/>`;
}

interface TextStyle {
  readonly size: number;
  readonly anchor?: "start" | "middle" | "end";
  readonly weight?: "bold";
  readonly fill?: string;
}

function text(x: number, y: number, content: string, style: TextStyle): string {
  const anchor = style.anchor === undefined ? "" : ` text-anchor="${style.anchor}"`;
  const weight = style.weight === undefined ? "" : ` font-weight="${style.weight}"`;
  const fill = style.fill === undefined ? "" : ` fill="${style.fill}"`;
  return `<text x="${round(x)}" y="${round(y)}" font-size="${style.size}"${anchor}${weight}${fill}>${escape(content)}</text>`;
}

/** Ticks from 0 to at least `max`, on a 1-2-5 step, about five of them. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) {
    ticks.push(Number(t.toPrecision(12)));
    if (t >= max) break;
  }
  return ticks;
}

/** The font size, at most `max`, at which `line` fits `width` px (about 0.56 em a character). */
function fitFont(line: string, width: number, max: number): number {
  return Math.max(6, Math.min(max, Math.floor((width / (0.56 * Math.max(1, line.length))) * 10) / 10));
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
