/**
 * How the shutdown suite's results read: one grid row per (pair, placement, order), one
 * column per (pending receive, linger), each cell the outcome most runs had with the
 * median time to exit and the share of queued messages delivered.
 */
import { mainOutcome } from "../rig/aggregate.js";
import { formatValue, markdownTable } from "../rig/format.js";
import { ordersFor, orderLabel, shutdownCaseId } from "./cases.js";
import type { GridRow, Panel, Tone } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import type { Pair, Pending, Placement, ShutdownCase } from "./cases.js";
import type { ShutdownOutcome } from "./classify.js";

const pairs: readonly { readonly pair: Pair; readonly title: string }[] = [
  { pair: "pub-sub", title: "PUB/SUB" },
  { pair: "xpub-sub", title: "XPUB/SUB" },
];
const placements: readonly { readonly placement: Placement; readonly title: string }[] = [
  { placement: "main", title: "both sockets on the main thread" },
  { placement: "sub-in-worker", title: "SUB owned by a worker thread" },
  { placement: "pub-in-worker", title: "publisher owned by a worker thread" },
];
const pendings: readonly { readonly pending: Pending; readonly title: string }[] = [
  { pending: "none", title: "no receive pending" },
  { pending: "sub", title: "SUB receive pending" },
  { pending: "xpub", title: "XPUB event receive pending" },
];

const words: Readonly<Record<ShutdownOutcome, string>> = {
  exit: "exits",
  "hang-linger": "hang: linger",
  "hang-alive": "hang: loop alive",
  "hang-step": "hang in a step",
  abort: "abort 134",
  "heap-corruption": "heap corrupted",
  segfault: "segfault",
  crash: "crash",
};

const tones: Readonly<Record<ShutdownOutcome, Tone>> = {
  exit: "good",
  "hang-linger": "hang",
  "hang-alive": "hang",
  "hang-step": "hang",
  abort: "abort",
  "heap-corruption": "abort",
  segfault: "abort",
  crash: "crash",
};

/** An exit that took at least this long (ms after the first step) is shown as slow. */
const slowMs = 150;

/** What a cell shows for one case. */
export interface CellView {
  readonly outcome: string;
  readonly tone: Tone;
  /** "86 ms" for exits, the outcome in words otherwise, "· 3/5" when runs disagreed */
  readonly headline: string;
  /** "35% delivered" */
  readonly delivered: string;
  /** how the other runs ended when they disagreed: "abort 134 2/5" */
  readonly others: string;
}

/** The view of one case's results. */
export function cellView(result: CaseResult, messages: number): CellView {
  const s = result.summary;
  const outcome = mainOutcome(s) as ShutdownOutcome | undefined;
  if (outcome === undefined) return { outcome: "failed", tone: "none", headline: s.failed > 0 ? "rig failed" : "–", delivered: "", others: "" };
  const runs = Object.values(s.outcomes).reduce((a, b) => a + b, 0);
  const agreement = s.outcomes[outcome] === runs ? "" : ` · ${s.outcomes[outcome]}/${runs}`;
  const exitMs = s.metrics["exitMs"]?.median;
  const headline = outcome === "exit" && exitMs !== undefined ? `${formatValue(exitMs, "ms")}${agreement}` : `${words[outcome] ?? outcome}${agreement}`;
  const tone = outcome === "exit" && exitMs !== undefined && exitMs >= slowMs ? "slow" : (tones[outcome] ?? "none");
  const delivered = s.metrics["delivered"]?.median;
  return {
    outcome,
    tone,
    headline,
    delivered: delivered === undefined ? "" : `${Math.round((100 * delivered) / messages)}% delivered`,
    others: Object.entries(s.outcomes)
      .filter(([o]) => o !== outcome)
      .map(([o, n]) => `${words[o as ShutdownOutcome] ?? o} ${n}/${runs}`)
      .join(", "),
  };
}

interface Grid {
  readonly lingers: readonly number[];
  readonly messages: number;
  readonly find: (c: Pick<ShutdownCase, "pair" | "placement" | "order" | "linger" | "pending">) => CaseResult | undefined;
}

function grid(results: SuiteResults): Grid {
  const byId = new Map(results.cases.map((c) => [c.id, c]));
  const lingers = [...new Set(results.cases.map((c) => Number(c.labels["linger"])))].sort((a, b) => (a === -1 ? -1 : b === -1 ? 1 : a - b));
  const messages = Number(results.cases[0]?.labels["messages"] ?? 0);
  return {
    lingers,
    messages,
    find: (c) => byId.get(shutdownCaseId({ ...c, messages: 0, size: 0, quietMs: 0 })),
  };
}

function columns(g: Grid): { readonly pending: Pending; readonly linger: number }[] {
  return pendings.flatMap((p) => g.lingers.map((linger) => ({ pending: p.pending, linger })));
}

/** The shutdown grid panel. */
export function shutdownPanels(results: SuiteResults): Panel[] {
  const g = grid(results);
  const cols = columns(g);
  const rows: GridRow[] = [];
  for (const { pair, title } of pairs) {
    for (const p of placements) {
      const orders = ordersFor(p.placement);
      if (!orders.some((order) => cols.some((col) => g.find({ pair, placement: p.placement, order, ...col }) !== undefined))) continue;
      rows.push({ kind: "section", label: `${title}, ${p.title}` });
      for (const order of orders) {
        const cells = cols.map((col) => {
          const result = g.find({ pair, placement: p.placement, order, ...col });
          if (result === undefined) return { text: "", tone: "none" as const };
          const view = cellView(result, g.messages);
          return { text: `${view.headline}\n${view.delivered}`, tone: view.tone };
        });
        if (cells.some((c) => c.text !== "")) rows.push({ kind: "row", label: orderLabel({ order, placement: p.placement }), cells });
      }
    }
  }
  const sample = results.cases[0]?.labels;
  return [
    {
      kind: "grid",
      title: "Shutdown order: does the process exit, and how long after the first step?",
      subtitle: `${sample?.["messages"] ?? "?"} messages of ${sample?.["size"] ?? "?"} queued over tcp right before the first step; median of ${results.rounds} runs in fresh processes; hang = killed ${sample?.["limit"] ?? "?"} after the first step`,
      columnGroups: pendings.map((p) => ({ label: p.title, span: g.lingers.length })),
      columns: cols.map((c) => `linger ${c.linger > 0 ? `${c.linger} ms` : c.linger}`),
      rows,
      legend: [
        { tone: "good", label: "exits (ms from first step to process end)" },
        { tone: "slow", label: `exits after >= ${slowMs} ms` },
        { tone: "hang", label: "hangs (killed at the limit)" },
        { tone: "abort", label: "aborts (134), heap corrupted or segfault" },
        { tone: "crash", label: "other crash (exit 1)" },
        { tone: "none", label: "not applicable" },
      ],
    },
  ];
}

/**
 * The shutdown table for the README, one row per (pair, placement, order); `only` keeps
 * the rows of one pair and placement (the short table).
 */
export function shutdownTable(results: SuiteResults, only?: { readonly pair: Pair; readonly placement: Placement }): string {
  const g = grid(results);
  const inScope = (c: CaseResult): boolean => only === undefined || (c.labels["pair"] === only.pair && c.labels["placement"] === only.placement);
  const cols = columns(g).filter((col) => results.cases.some((c) => inScope(c) && c.labels["pending"] === col.pending && Number(c.labels["linger"]) === col.linger));
  const rows: string[][] = [];
  for (const { pair, title } of pairs) {
    for (const p of placements) {
      if (only !== undefined && (only.pair !== pair || only.placement !== p.placement)) continue;
      for (const order of ordersFor(p.placement)) {
        const cells = cols.map((col) => {
          const result = g.find({ pair, placement: p.placement, order, ...col });
          if (result === undefined) return "";
          const view = cellView(result, g.messages);
          return [view.headline, view.others, view.delivered.replace(" delivered", "")].filter((x) => x !== "").join(", ");
        });
        if (cells.some((c) => c !== "")) rows.push([`${title} ${p.placement === "main" ? "" : `(${p.placement.replace(/-/g, " ")}) `}${orderLabel({ order, placement: p.placement })}`, ...cells]);
      }
    }
  }
  const header = cols.map((c) => `${c.pending === "none" ? "no recv" : `${c.pending} recv`}, linger ${c.linger > 0 ? `${c.linger}ms` : c.linger}`);
  return [
    `Time from the first shutdown step to the process's end (median), or how it failed, and the share of the queued messages the subscriber received (median over ${results.rounds} runs; "· k/n" when only k of the n runs ended so):`,
    "",
    markdownTable(["pair, order", ...header], rows),
  ].join("\n");
}

/** Counts of outcomes over all cases, in words. */
export function shutdownSummary(results: SuiteResults): string {
  const counts = new Map<string, number>();
  for (const c of results.cases) {
    const o = mainOutcome(c.summary) ?? "failed";
    counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${words[o as ShutdownOutcome] ?? o}: ${n}`);
  return `- ${results.cases.length} cases; by the outcome most runs had: ${parts.join(", ")}.`;
}
