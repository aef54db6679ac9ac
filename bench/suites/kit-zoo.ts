/**
 * Suite "kit-zoo": how long the kit takes to find and shrink each bug of the zoo
 * (src/zoo/), as `npm start` does it: from the start of the fast-check search to the
 * shrunk counterexample printed. One case per entry; each run is a fresh process (through
 * tsx, as `npm start` runs) that explores the entry with several seeds in a row: the first
 * seed is reported apart (it pays module loading and JIT warm-up), the median of the others
 * is the steady cost.
 */
import { fileURLToPath } from "node:url";
import { zoo } from "../../src/zoo/zoo.js";
import { formatSummary, formatValue, markdownTable } from "../rig/format.js";
import { repoRoot } from "../rig/child.js";
import { measuredChild } from "../rig/measured.js";
import { measuredVersions, srcVersion } from "../kit/version.js";
import type { Panel } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite } from "../rig/suite.js";

const childScript = fileURLToPath(new URL("../kit/zoo-child.ts", import.meta.url));

/** Seeds explored in one run (the first one is the cold one). */
const seedsPerRun: Readonly<Record<Profile, number>> = { full: 8, quick: 3 };

function planCase(profile: Profile, name: string, expected: string): PlannedCase {
  const seeds = seedsPerRun[profile];
  return {
    id: name,
    labels: { entry: name, verdict: expected },
    // tsx start-up, then tens of ms a seed
    estimateMs: 700 + seeds * 60,
    run: (context) => runCase(name, seeds, context),
  };
}

async function runCase(entry: string, count: number, context: RunContext): Promise<RunRecord> {
  const seeds = Array.from({ length: count }, (_, i) => 0x200 + 97 * (context.round * count + i));
  const record = await measuredChild(context.pool, childScript, { entry, seeds }, 180_000);
  if (record.kind !== "measured") return record;
  const found = record.metrics["found"] ?? 0;
  return { ...record, outcome: found === 1 ? record.outcome : "missed", notes: { ...record.notes, seeds: seeds.join(","), src: srcVersion(repoRoot) } };
}

/** A median of counts: whole, or with one decimal. */
function count(value: number | undefined): string {
  return value === undefined ? "–" : String(Math.round(value * 10) / 10);
}

function row(c: CaseResult): string[] {
  const m = c.summary.metrics;
  const pct = (name: string): string => {
    const s = m[name];
    return s === undefined ? "–" : `${Math.round(100 * s.median)}%`;
  };
  return [
    c.labels["entry"] ?? c.id,
    c.labels["verdict"] ?? "?",
    formatSummary(m["ms"], "ms"),
    formatSummary(m["ms:cold"], "ms"),
    count(m["runs"]?.median),
    count(m["shrinks"]?.median),
    pct("found"),
    pct("minimal"),
  ];
}

function zooPanels(results: SuiteResults): Panel[] {
  return [
    {
      kind: "bars",
      width: "full",
      format: "ms",
      title: "kit-zoo: time to find and shrink each zoo bug",
      subtitle: `median of ${results.rounds} runs (fresh process each; per run, the median over its seeds after the first), whisker = IQR`,
      series: [
        { name: "steady", color: "#2171b5" },
        { name: "first seed", color: "#bbbbbb" },
      ],
      groups: results.cases.map((c) => ({ label: c.id, values: [c.summary.metrics["ms"], c.summary.metrics["ms:cold"]] })),
    },
  ];
}

function zooMarkdown(results: SuiteResults): string {
  if (results.cases.length === 0) return "_No results._";
  const seeds = results.cases[0]?.summary.metrics["seeds"]?.median ?? 0;
  const failed = results.cases.filter((c) => c.summary.failed > 0).map((c) => `${c.id} (${c.summary.failed})`);
  const slowest = [...results.cases].sort((a, b) => (b.summary.metrics["ms"]?.median ?? 0) - (a.summary.metrics["ms"]?.median ?? 0))[0];
  return [
    `- Every entry is found and shrunk in ${formatValue(slowest?.summary.metrics["ms"]?.median ?? 0, "ms")} or less (median, warm; slowest: ${slowest?.id ?? "?"}).`,
    `Time from the start of the search to the shrunk counterexample printed, the real consequence of scenario entries left out (a child process with its own time limit: an abort shows in under a second, a hang after its time limit). ` +
      `Median of ${results.rounds} runs; each run is a fresh process exploring the entry with ${seeds} seeds in a row: "steady" is the median over its seeds after the first, "first seed" the first one (module loading, JIT warm-up).`,
    markdownTable(["entry", "verdict", "steady, median [IQR]", "first seed", "runs to find (median)", "shrink steps (median)", "found", "minimal"], results.cases.map(row)),
    ...(failed.length > 0 ? [`Runs that measured nothing: ${failed.join(", ")}.`] : []),
    `Code measured: ${measuredVersions(results.cases).join("; ") || "unknown"}.`,
  ].join("\n\n");
}

/** The zoo suite. */
export const suite: Suite = {
  name: "kit-zoo",
  title: "Kit costs: time to find and shrink each zoo bug",
  rounds: (profile) => (profile === "quick" ? 2 : 5),
  plan: (profile) => zoo.map((e) => planCase(profile, e.name, e.expected.join(" / "))),
  ratios: [],
  present: (results) => ({ panels: zooPanels(results), markdown: zooMarkdown(results) }),
};
