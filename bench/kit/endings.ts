/**
 * How the kit suites' child processes ended, read back from the results: a child that hung
 * or crashed after reporting its measurements keeps them, and its `exit` note says what
 * happened (see `ChildEnding` in ./child.ts); one that died before reporting is a failed run
 * with its reason. Printed with the results, never dropped.
 */
import type { CaseResult } from "../rig/results.js";

/** How a case's child processes ended. */
export interface CaseEndings {
  /** every run, measured or not */
  readonly runs: number;
  /** runs measured with a child that exited on its own */
  readonly clean: number;
  /** "run 2: crash: exited SIGABRT after its result; ..." or "run 4: failed: child exited SIGABRT while running sample 17 ..." */
  readonly problems: readonly string[];
}

/** Reads the `exit` notes of a case's measured runs and the reasons of its failed ones. */
export function caseEndings(c: CaseResult): CaseEndings {
  const problems = c.runs.flatMap((r) => {
    if (r.kind === "failed") return [`run ${r.round + 1}: failed, no measurements: ${r.reason}`];
    return r.notes["exit"] === undefined ? [] : [`run ${r.round + 1}: ${r.notes["exit"]}`];
  });
  return { runs: c.runs.length, clean: c.runs.length - problems.length, problems };
}

/** "5/5", or "3/5" when some did not end cleanly. */
export function endingsCell(e: CaseEndings): string {
  return e.runs === 0 ? "–" : `${e.clean}/${e.runs}`;
}

/** A markdown paragraph listing every child that did not end cleanly; empty when all did. */
export function endingsParagraph(cases: readonly CaseResult[], title: (c: CaseResult) => string): string {
  const lines = cases.flatMap((c) => caseEndings(c).problems.map((p) => `- ${title(c)}, ${p}`));
  if (lines.length === 0) return "";
  return [
    "Child processes that did not end cleanly: a hang or crash after the result keeps the run's measurements (they were complete, and the process should have exited once its pool was closed, unless the model predicted the hang); a crash before the result leaves the run unmeasured:",
    "",
    ...lines,
  ].join("\n");
}

/** Why a process that ran these runs may not exit: runs the model called exit-hang leave their queued messages behind. */
export function exitHangExplained(metrics: Readonly<Record<string, number>>): string | undefined {
  const n = metrics["verdict:exit-hang"] ?? 0;
  return n === 0 ? undefined : `${n} run${n === 1 ? "" : "s"} in this process ended exit-hang (messages queued for a gone peer, linger -1), so a hang at exit is what the model predicts`;
}
