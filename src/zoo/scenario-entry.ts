import fc from "fast-check";
import type { InterleavingConstraints } from "../arbitraries/constraints.js";
import { interleavings } from "../arbitraries/interleavings.js";
import type { Interleaving } from "../interleaving/types.js";
import { checkInterleaving, type CheckResult } from "../model/check.js";
import { zeromqModel } from "../model/model.js";
import { verdictLabel } from "../model/verdict.js";
import { renderTimeline } from "../report/text.js";
import { runInterleaving } from "../runtime/executor.js";
import type { ProcessOutcome } from "../runtime/result.js";
import { entryFacts, foundAt, notFound, type Consequence, type EntryFacts, type ExploreOptions, type Finding, type ZooEntry } from "./entry.js";
import { interleavingSize, isMinimal, type ZooSize } from "./size.js";

/** What a scenario entry is made of. */
export interface ScenarioSpec extends EntryFacts {
  /** Interleavings that read like the user pattern (socket types, threads, which ops). */
  readonly constraints: InterleavingConstraints;
  /** The failure to look for: the model's verdict on `x` is the bug (label and, where it matters, who and on what). */
  readonly happens: (x: Interleaving, result: CheckResult) => boolean;
  /** Time limit of the child process that shows the real consequence, ms; absent when the entry has none to show. */
  readonly consequenceTimeLimitMs?: number;
  /** Default 2000 (model checks are cheap). */
  readonly defaultRuns?: number;
}

/** A scenario entry: the zoo's view, plus what `measureShrinking` needs. */
export interface ScenarioEntry extends ZooEntry {
  readonly kind: "scenario";
  /** The interleaving generator. */
  readonly arbitrary: fc.Arbitrary<Interleaving>;
  /** The property "this never happens" fails where this holds. */
  happens(x: Interleaving): boolean;
  size(x: Interleaving): ZooSize;
}

/** Model check without validation or history: what the search runs on every value. */
function quickCheck(x: Interleaving): CheckResult {
  return checkInterleaving(x, { model: zeromqModel, validate: false, history: false });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line for how a child process ended. */
export function describeOutcome(o: ProcessOutcome): string {
  const said = o.stderrTail
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && l !== "what():" && !l.startsWith("at ") && !l.startsWith("(Use `node --trace"))
    .slice(0, 2)
    .join(" / ");
  const words = said === "" ? "" : `: ${said.length > 140 ? `${said.slice(0, 139)}…` : said}`;
  switch (o.ending) {
    case "crashed":
      return `the process crashed (${o.signal ?? "signal"}${o.signal === "SIGABRT" ? ", exit status 134" : ""}) after ${seconds(o.durationMs)}${words}`;
    case "hung":
      return `the process hung: ${o.reachedExit ? "its program was over and Node had begun to exit, but it" : "it"} was still alive when killed after ${seconds(o.durationMs)}${words}`;
    case "exited":
      return `the process exited with code ${o.exitCode ?? "?"} after ${seconds(o.durationMs)}${words}`;
  }
}

/** Runs `x` unguarded in a child process with a time limit: what the binding does to the process. */
async function consequenceOf(x: Interleaving, timeLimitMs: number): Promise<Consequence | null> {
  const result = await runInterleaving(x, { mode: "unguarded", isolate: "always", timeLimitMs });
  return result.process === null ? null : { outcome: result.process, summary: describeOutcome(result.process) };
}

/** Builds a scenario zoo entry from its parts. */
export function scenarioEntry(spec: ScenarioSpec): ScenarioEntry {
  const arbitrary = interleavings(spec.constraints);
  const happens = (x: Interleaving): boolean => spec.happens(x, quickCheck(x));
  const sizeOfX = (x: Interleaving): ZooSize => interleavingSize(x, zeromqModel);
  const defaultRuns = spec.defaultRuns ?? 2000;
  return {
    kind: "scenario",
    ...entryFacts(spec),
    defaultRuns,
    arbitrary,
    happens,
    size: sizeOfX,
    async explore(options: ExploreOptions): Promise<Finding> {
      const details = fc.check(
        fc.property(arbitrary, (x) => !happens(x)),
        { seed: options.seed, numRuns: options.runs ?? defaultRuns },
      );
      const x = details.counterexample?.[0];
      if (!details.failed || x === undefined) return notFound(spec.name, options.seed, details);
      const { facts, where } = foundAt(spec.name, options.seed, details);
      const result = checkInterleaving(x, { model: zeromqModel });
      const label = verdictLabel(result.verdict);
      const timeline = { interleaving: x, history: result.history, verdict: result.verdict, seed: options.seed, path: facts.path };
      const size = sizeOfX(x);
      const consequence = options.consequence === true && spec.consequenceTimeLimitMs !== undefined ? await consequenceOf(x, spec.consequenceTimeLimitMs) : null;
      return {
        kind: "found",
        ...facts,
        label,
        expected: spec.expected.includes(label),
        size,
        minimal: isMinimal(size, spec.minimum),
        text: `${renderTimeline(timeline)}\n${where}${consequence === null ? "" : `\nreal run (unguarded, child process): ${consequence.summary}`}`,
        timeline,
        consequence,
      };
    },
  };
}
