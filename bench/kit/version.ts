/**
 * Which code the kit suites measured: the commit, and whether src/ had uncommitted changes
 * when the run started (dist/ is built from the working tree). Recorded in every run's notes
 * and printed with the results, since a kit number means little without its code version.
 */
import { execFileSync } from "node:child_process";
import type { CaseResult } from "../rig/results.js";

/** "26c0255" or "26c0255 + uncommitted changes in 3 src/ files"; "unknown" outside git. */
export function srcVersion(root: string): string {
  try {
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const head = git("rev-parse", "--short", "HEAD");
    const dirty = git("status", "--porcelain", "--", "src").split("\n").filter((l) => l.trim() !== "").length;
    return dirty === 0 ? head : `${head} + uncommitted changes in ${dirty} src/ file${dirty === 1 ? "" : "s"}`;
  } catch {
    return "unknown";
  }
}

/** The distinct `src` notes of the cases' measured runs, in order of appearance. */
export function measuredVersions(cases: readonly CaseResult[]): string[] {
  const seen: string[] = [];
  for (const c of cases) {
    for (const r of c.runs) {
      const v = r.kind === "measured" ? r.notes["src"] : undefined;
      if (v !== undefined && !seen.includes(v)) seen.push(v);
    }
  }
  return seen;
}
