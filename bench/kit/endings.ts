/**
 * How the kit suites' child processes ended, read back from the results: a child that hung
 * or crashed after reporting its measurements keeps them, and its `exit` note says what
 * happened (see `ChildEnding` in ./child.ts). Printed with the results, never dropped.
 */
import type { CaseResult } from "../rig/results.js";

/** The endings of a case's measured runs. */
export interface CaseEndings {
  readonly measured: number;
  readonly clean: number;
  /** "run 2: crash: exited SIGABRT after its result; stderr: ..." */
  readonly problems: readonly string[];
}

/** Reads the `exit` notes of a case's measured runs. */
export function caseEndings(c: CaseResult): CaseEndings {
  const measured = c.runs.flatMap((r) => (r.kind === "measured" ? [r] : []));
  const problems = measured.flatMap((r) => (r.notes["exit"] === undefined ? [] : [`run ${r.round + 1}: ${r.notes["exit"]}`]));
  return { measured: measured.length, clean: measured.length - problems.length, problems };
}

/** "5/5", or "3/5" when some did not end cleanly. */
export function endingsCell(e: CaseEndings): string {
  return e.measured === 0 ? "–" : `${e.clean}/${e.measured}`;
}

/** A markdown paragraph listing every child that did not end cleanly; empty when all did. */
export function endingsParagraph(cases: readonly CaseResult[], title: (c: CaseResult) => string): string {
  const lines = cases.flatMap((c) => caseEndings(c).problems.map((p) => `- ${title(c)}, ${p}`));
  if (lines.length === 0) return "";
  return [
    "Child processes that did not end cleanly after reporting (their measurements were complete and are kept; the process should exit on its own once the pool is closed):",
    "",
    ...lines,
  ].join("\n");
}
