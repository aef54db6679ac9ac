import { join } from "node:path";
import { writeTimeline } from "../report/write.js";
import type { Finding, ZooEntry } from "../zoo/entry.js";

/** Options of one pass over the zoo. */
export interface ZooRunOptions {
  /** Runs per entry; `null` for each entry's default. */
  readonly runs: number | null;
  readonly seed: number;
  /** Directory for HTML and SVG timelines, or `null`. */
  readonly timelineOut: string | null;
}

/** One entry's outcome: what was found, how long it took, and the timeline files written. */
export interface EntryResult {
  readonly entry: ZooEntry;
  readonly finding: Finding;
  /** The run budget the entry had. */
  readonly runs: number;
  readonly ms: number;
  readonly files: { readonly html: string; readonly svg: string } | null;
}

/**
 * Explores each entry in turn with one seed (shrinking what it finds, and showing a
 * scenario's real consequence in a child process), writes its timelines when asked, and
 * reports each result through `progress` as soon as it is known.
 */
export async function exploreZoo(entries: readonly ZooEntry[], o: ZooRunOptions, progress: (r: EntryResult, index: number) => void): Promise<EntryResult[]> {
  const results: EntryResult[] = [];
  for (const [index, entry] of entries.entries()) {
    const runs = o.runs ?? entry.defaultRuns;
    const started = performance.now();
    const finding = await entry.explore({ seed: o.seed, runs, consequence: true });
    const ms = performance.now() - started;
    let files: EntryResult["files"] = null;
    if (o.timelineOut !== null && finding.kind === "found") {
      const html = join(o.timelineOut, `${entry.name}.html`);
      const svg = join(o.timelineOut, `${entry.name}.svg`);
      await writeTimeline(html, finding.timeline);
      await writeTimeline(svg, finding.timeline);
      files = { html, svg };
    }
    const r: EntryResult = { entry, finding, runs, ms, files };
    results.push(r);
    progress(r, index);
  }
  return results;
}
