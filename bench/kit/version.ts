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

/** The distinct `src` notes of the cases' measured runs, in order of appearance, and how many runs saw dist/ change. */
export function measuredVersions(cases: readonly CaseResult[]): string[] {
  const seen: string[] = [];
  let changed = 0;
  for (const c of cases) {
    for (const r of c.runs) {
      if (r.kind !== "measured") continue;
      const v = r.notes["src"];
      if (v !== undefined && !seen.includes(v)) seen.push(v);
      if (r.notes["dist"] !== undefined) changed += 1;
    }
  }
  return changed === 0 ? seen : [...seen, `**dist/ changed during the bench run: ${changed} run${changed === 1 ? "" : "s"} may have measured other code**`];
}
