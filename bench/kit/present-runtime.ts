/**
 * How the kit-runtime suite's results read: one bar panel (real interleavings/s per
 * configuration, with the two targets), a table of medians and IQRs against the targets
 * with the model-only rate on the same samples, the paired cost ratio and the verdict
 * counts, and every run that ended other than ok/stuck/exit-hang with its replay string.
 */
import { formatSummary, formatValue, markdownTable } from "../rig/format.js";
import { rateCell, targetLabel, targetVerdict } from "./targets.js";
import { caseEndings, endingsCell, endingsParagraph } from "./endings.js";
import { measuredVersions } from "./version.js";
import { addCounts, formatCounts, unexpected, verdictCounts } from "./verdicts.js";
import type { Panel } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import type { Target } from "./targets.js";

/** Targets of the brief (inproc only; tcp is for information). */
export const runtimeTargets: Readonly<Record<string, Target>> = {
  "tasks/inproc": { atLeast: 1_000 },
  "workers/inproc": { atLeast: 200 },
};

function caseTitle(c: CaseResult): string {
  return `${c.labels["threads"] ?? c.id}, ${c.labels["transport"] ?? "?"}`;
}

function runsNote(results: SuiteResults): string {
  return `median of ${results.rounds} runs (fresh process each), whisker = IQR`;
}

/** All verdict counts of a case, summed over its measured runs. */
export function caseCounts(c: CaseResult): Record<string, number> {
  return addCounts(c.runs.flatMap((r) => (r.kind === "measured" ? [verdictCounts(r.metrics)] : [])));
}

/** The problems noted in a case's runs: "run 2, sample 17: diverged: ..." with the replay string. */
export function caseProblems(c: CaseResult): { readonly where: string; readonly replay: string }[] {
  return c.runs.flatMap((r) =>
    r.kind === "measured"
      ? Object.entries(r.notes)
          .filter(([k]) => k.startsWith("problem:"))
          .map(([k, v]) => {
            const sample = k.slice("problem:".length);
            return { where: `run ${r.round + 1}, sample ${sample}: ${v}`, replay: r.notes[`replay:${sample}`] ?? "?" };
          })
      : [],
  );
}

/** One bar panel: real interleavings/s per configuration, with the targets. */
export function runtimePanels(results: SuiteResults): Panel[] {
  if (results.cases.length === 0) return [];
  return [
    {
      kind: "bars",
      width: "half",
      format: "rate",
      title: "kit-runtime: real interleavings/s, 4 actors x 5 ops, set-up included",
      subtitle: `${runsNote(results)}; dashed: targets (inproc)`,
      series: [{ name: "real interleavings/s", color: "#e69f00" }],
      groups: results.cases.map((c) => ({
        label: `${c.labels["placement"] ?? c.id}\n${c.labels["transport"] ?? ""}`,
        values: [c.summary.metrics["real"]],
      })),
      references: Object.values(runtimeTargets).map((t) => ({ value: t.atLeast, label: formatValue(t.atLeast, "rate") })),
    },
  ];
}

/** The table of every configuration. */
export function runtimeTable(results: SuiteResults): string {
  const rows = results.cases.map((c) => {
    const target = runtimeTargets[c.id];
    const real = c.summary.metrics["real"];
    return [
      caseTitle(c),
      rateCell(real),
      target === undefined ? "(information)" : targetLabel(target),
      target === undefined ? "–" : targetVerdict(real, target),
      rateCell(c.summary.metrics["real:no-exit"]),
      rateCell(c.summary.metrics["model"]),
      formatSummary(c.summary.ratios["real/model cost"], "ratio"),
      formatCounts(caseCounts(c)),
      endingsCell(caseEndings(c)),
    ];
  });
  return markdownTable(
    ["configuration", "real interleavings/s, median [IQR]", "target", "median vs target", "real, samples without a worker exit", "model only, same samples", "cost real/model (paired)", "verdicts, all runs", "child processes ending cleanly"],
    rows,
  );
}

/** Headline, table, notes and any unexpected verdicts. */
export function runtimeMarkdown(results: SuiteResults): string {
  if (results.cases.length === 0) return "_No results._";
  const headline = results.cases
    .filter((c) => runtimeTargets[c.id] !== undefined)
    .map((c) => {
      const target = runtimeTargets[c.id] as Target;
      const real = c.summary.metrics["real"];
      return `- **${caseTitle(c)}: ${rateCell(real)}** real interleavings (target ${targetLabel(target)}: ${targetVerdict(real, target)}); a real run costs ${formatSummary(c.summary.ratios["real/model cost"], "ratio")} model checks of the same interleaving.`;
    });
  const odd = results.cases.flatMap((c) => {
    const kinds = unexpected(caseCounts(c));
    return kinds.length === 0 ? [] : [{ c, kinds }];
  });
  const unclean = results.cases.filter((c) => caseEndings(c).problems.length > 0);
  const endingLine =
    unclean.length === 0
      ? "- Every child process exited on its own after its runs (pool closed)."
      : `- **Child processes that hung or crashed:** ${unclean.map((c) => `${caseTitle(c)} ${caseEndings(c).problems.length}/${caseEndings(c).runs}`).join("; ")} (details below).`;
  const verdictLine =
    odd.length === 0
      ? "- Every real run ended in one of the model's end verdicts (`ok`, `stuck`, `exit-hang`), as it predicts for programs that respect ownership: no `diverged`, no `unknown`."
      : `- **Runs that ended other than ok/stuck/exit-hang:** ${odd.map((o) => `${caseTitle(o.c)}: ${o.kinds.join(", ")}`).join("; ")} (replay strings below).`;
  const first = results.cases[0];
  const samples = first?.summary.metrics["samples"]?.median;
  const cold =
    results.profile === "quick"
      ? "- Quick profile: one pass of warm-up only, so these are cold numbers; the executor gets faster over its first thousand or so runs (the full profile warms up for 1.5 s)."
      : undefined;
  const parts = [
    [...headline, verdictLine, endingLine, ...(cold === undefined ? [] : [cold])].join("\n"),
    `Real interleavings/s, ${runsNote(results)}; compiled kit (dist/) under plain node; one tinybench call runs every sample once through \`runInterleaving(x, { pool })\` (guarded), ` +
      `each run creating, binding, connecting (with the join handshake) and closing its sockets; worker threads come from one ${poolNote(results)} reused by every run of the process.`,
    runtimeTable(results),
    `Samples: ${samples === undefined ? "?" : formatValue(samples, "rate")} interleavings per run, drawn with a per-run seed from the arbitrary of each row ` +
      `(ownership "respect", executable) and kept when exactly 4 actors have ops, 5 each, on every thread of the row ` +
      `(${results.cases.map((c) => `${c.id} ${exactCell(c)}`).join(", ")} of the draws). ` +
      `${exitNote(results)} ` +
      `"Model only" checks the same samples with \`checkInterleaving(x, { validate: false, history: false })\`; the cost ratio is the model-only rate / the real rate, per run.`,
  ];
  const endings = endingsParagraph(results.cases, caseTitle);
  if (endings !== "") parts.push(endings);
  parts.push(`Code measured: ${measuredVersions(results.cases).join("; ") || "unknown"}.`);
  const problems = results.cases.flatMap((c) => caseProblems(c).map((p) => `- ${caseTitle(c)}, ${p.where}\n  \`${p.replay}\``));
  if (problems.length > 0) parts.push(["Runs that ended other than ok/stuck/exit-hang (at most 5 samples per run), with their replay strings:", "", ...problems].join("\n"));
  return parts.join("\n\n");
}

/** The pool the runs borrowed worker threads from, as the cases recorded it. */
function poolNote(results: SuiteResults): string {
  const pool = results.cases.find((c) => c.labels["pool"] !== undefined)?.labels["pool"];
  if (pool === undefined) return "`WorkerPool`";
  const spare = /"spares":\s*([1-9]\d*)/.exec(pool)?.[1];
  return spare === undefined ? `\`${pool}\`` : `\`${pool}\` (once a worker has exited, it keeps ${spare} thread${spare === "1" ? "" : "s"} started beyond the 2 a run borrows, so the run after an exit does not wait for a thread to start)`;
}

/** How many samples end a worker thread, and what that costs. */
function exitNote(results: SuiteResults): string {
  const cells = results.cases.flatMap((c) => {
    const exits = c.summary.metrics["samples:exit"]?.median;
    const samples = c.summary.metrics["samples"]?.median;
    return exits === undefined || samples === undefined || exits === 0 ? [] : [`${c.id} ${((100 * exits) / samples).toFixed(0)}%`];
  });
  if (cells.length === 0) return "";
  return (
    `Samples where a worker thread runs \`exit\` (${cells.join(", ")}): the thread is gone after the run, and the pool starts a new one for a later run; ` +
    `"without a worker exit" runs only the other samples, in the same process.`
  );
}

function exactCell(c: CaseResult): string {
  const exact = c.summary.metrics["exact"]?.median;
  return exact === undefined ? "?" : `${(100 * exact).toFixed(1)}%`;
}
