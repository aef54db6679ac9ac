import fc from "fast-check";
import { canonicalize } from "../interleaving/canonical.js";
import type { Interleaving } from "../interleaving/types.js";
import { interleavingProblems } from "../interleaving/validate.js";
import { checkInterleaving } from "../model/check.js";
import { InvalidOptionsError } from "../errors.js";
import { showValue } from "../input/show.js";
import { printerOptions, type TimelinePrinterOptions } from "./printer.js";
import { renderTimeline } from "./text.js";

/** The first interleaving in a counterexample (the value itself, or an entry of its tuple). */
function findInterleaving(value: unknown): Interleaving | null {
  const candidates = Array.isArray(value) ? value : [value];
  for (const c of candidates) {
    if (interleavingProblems(c).length === 0) return c as Interleaving;
  }
  return null;
}

/**
 * The failure report of a fast-check run whose counterexample holds an interleaving: a header
 * (runs, shrinks), the timeline of the model's account of it, the property's error, and a
 * replay line with fast-check's seed and path. `null` when the run did not fail; fast-check's
 * own message when no interleaving is found.
 */
export function reportRun<Ts>(details: fc.RunDetails<Ts>, options: TimelinePrinterOptions = {}): string | null {
  const { model, text } = printerOptions("reportRun", options);
  if (typeof details !== "object" || details === null || typeof (details as { failed?: unknown }).failed !== "boolean") {
    throw new InvalidOptionsError(`reportRun: expected the result of fc.check (fast-check's RunDetails), got ${showValue(details)}`);
  }
  if (!details.failed) return null;
  const found = details.counterexample === null ? null : findInterleaving(details.counterexample);
  const x = found === null ? null : canonicalize(found);
  if (x === null) return fc.defaultReportMessage(details) ?? `Property failed (seed ${details.seed}).`;
  const path = details.counterexamplePath ?? undefined;
  const result = checkInterleaving(x, model === undefined ? {} : { model });
  const timeline = renderTimeline({ interleaving: x, ...result, seed: details.seed, ...(path === undefined ? {} : { path }) }, text);
  const header = `Property failed after ${details.numRuns} test${details.numRuns === 1 ? "" : "s"}, shrunk ${details.numShrinks} time${details.numShrinks === 1 ? "" : "s"}.`;
  const err = details.errorInstance;
  const error = err === null ? [] : [`Got error: ${err instanceof Error ? err.message : String(err)}`];
  const lines = timeline.split("\n");
  const replayLine = lines.pop() ?? "";
  return [header, ...lines, ...error, replayLine].join("\n");
}

/**
 * A fast-check `reporter` that throws the timeline report of a failing run (see `reportRun`),
 * e.g. `fc.assert(property, { reporter: timelineReporter() })`; the thrown error's `cause` is
 * the property's own error.
 */
export function timelineReporter(options: TimelinePrinterOptions = {}): <Ts>(details: fc.RunDetails<Ts>) => void {
  printerOptions("timelineReporter", options);
  return <Ts>(details: fc.RunDetails<Ts>) => {
    const report = reportRun(details, options);
    if (report !== null) throw new Error(report, { cause: details.errorInstance ?? undefined });
  };
}
