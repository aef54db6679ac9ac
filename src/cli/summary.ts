import type { ZooSize } from "../zoo/size.js";
import type { EntryResult } from "./explore-zoo.js";
import { renderTable } from "./table.js";

/** A result counts as found when the shrunk failure has one of the entry's expected labels. */
export function isFound(r: EntryResult): boolean {
  return r.finding.kind === "found" && r.finding.expected;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A size in a few words, threads only when there are several: `2 tasks, 1 socket, 2 ops, 0 choices`. */
export function shortSize(s: ZooSize, kind: "code" | "scenario"): string {
  const parts = [plural(s.actors, kind === "code" ? "task" : "actor"), plural(s.sockets, "socket"), plural(s.ops, "op"), plural(s.choices, kind === "code" ? "choice" : "preemption")];
  return (s.threads > 1 ? [plural(s.threads, "thread"), ...parts] : parts).join(", ");
}

/** One progress line, printed as soon as an entry is done. */
export function progressLine(r: EntryResult, index: number, total: number): string {
  const head = `[${index + 1}/${total}] ${r.entry.name}`;
  const f = r.finding;
  if (f.kind === "not-found") return `${head}: not found in ${plural(f.runs, "run")}${f.reason === "interrupted" ? " (time limit)" : ""} (${seconds(r.ms)})`;
  const what = f.expected ? `found ${f.label}` : `found ${f.label}, expected ${r.entry.expected.join(" or ")}`;
  return `${head}: ${what} after ${plural(f.runs, "run")}, shrunk ${plural(f.shrinks, "time")} to ${shortSize(f.size, r.entry.kind)}${f.minimal ? " (minimal)" : " (not the known minimum)"} (${seconds(r.ms)})`;
}

/** The summary table: scenario, verdict, runs, found after, shrunk size, time (and the timeline file). */
export function summaryTable(results: readonly EntryResult[]): string {
  const withFiles = results.some((r) => r.files !== null);
  const header = ["scenario", "verdict", "runs", "found after", "shrunk size", "minimal", "time", ...(withFiles ? ["timeline"] : [])];
  const rows = results.map((r) => {
    const f = r.finding;
    const found = f.kind === "found";
    return [
      r.entry.name,
      found ? f.label : "NOT FOUND",
      String(r.runs),
      found ? plural(f.runs, "run") : "-",
      found ? shortSize(f.size, r.entry.kind) : "-",
      found ? (f.minimal ? "yes" : "no") : "-",
      seconds(r.ms),
      ...(withFiles ? [r.files?.html ?? "-"] : []),
    ];
  });
  return renderTable(header, rows);
}

/** Each counterexample: the entry's story, how the kit found it, its timeline and replay lines. */
export function counterexamples(results: readonly EntryResult[]): string {
  const parts: string[] = [];
  for (const [i, r] of results.entries()) {
    const f = r.finding;
    if (f.kind !== "found") continue;
    const e = r.entry;
    const files = r.files === null ? "" : `\ntimeline files: ${r.files.html}, ${r.files.svg}`;
    parts.push(
      [
        `━━━ ${i + 1}. ${e.name}: ${f.label} ━━━`,
        e.story,
        `see: ${e.link}`,
        `how the kit finds it: ${e.finds}`,
        `smallest counterexample: ${e.shape} (${shortSize(f.size, e.kind)}${f.minimal ? ", the known minimum" : ", NOT the known minimum"})`,
        "",
        f.text + files,
      ].join("\n"),
    );
  }
  return parts.join("\n\n");
}
