import type { TimelineInput } from "../report/timeline.js";
import type { ProcessOutcome } from "../runtime/result.js";
import type { ZooSize } from "./size.js";

/**
 * What a zoo entry is: one real misuse pattern of the zeromq API, how the kit finds it, and
 * the smallest counterexample it should shrink to. Two kinds share this shape:
 * - `code`: a small program written the way users write them (async TypeScript against the
 *   zeromq API), run on the kit's instrumented zeromq module, which guards every socket and
 *   explores the orders in which their operations complete (entry: input + delivery schedule);
 * - `scenario`: a process-level bug (a worker torn down, a process that cannot exit) written
 *   as an interleaving generator plus the verdict to look for, checked by the model; its
 *   real consequence is shown on real sockets in a child process.
 */
export interface ZooEntry {
  readonly kind: "code" | "scenario";
  /** Short name, as `zmq-interleave --scenario <name>` takes it. */
  // invariant: matches /^[a-z][a-z0-9-]*$/ and is unique within the zoo
  readonly name: string;
  /** One line: the pattern and where it was reported. */
  readonly story: string;
  /** The report the pattern comes from. */
  readonly link: string;
  /** How the kit finds it, in one sentence. */
  readonly finds: string;
  /** The verdict labels the bug shows up as (`busy-recv`, `stuck`...). */
  readonly expected: readonly string[];
  /** The known smallest counterexamples (where two shapes tie, either). */
  readonly minimum: readonly ZooSize[];
  /** The minimal counterexample, in words. */
  readonly shape: string;
  /** Runs to try by default (a scenario entry's runs are model checks, much cheaper). */
  readonly defaultRuns: number;
  /** Looks for the bug with one fast-check seed, shrinks what it finds, and prints it. */
  explore(options: ExploreOptions): Promise<Finding>;
}

/** What every entry states about its bug; the spec of either kind starts with these. */
export type EntryFacts = Pick<ZooEntry, "name" | "story" | "link" | "finds" | "expected" | "minimum" | "shape">;

/** The facts of a spec, without its other parts. */
export function entryFacts({ name, story, link, finds, expected, minimum, shape }: EntryFacts): EntryFacts {
  return { name, story, link, finds, expected, minimum, shape };
}

/** Options of `ZooEntry.explore`. */
export interface ExploreOptions {
  /** fast-check seed. */
  readonly seed: number;
  /** Runs to try before giving up (default: the entry's `defaultRuns`). */
  readonly runs?: number;
  /** Run the counterexample unguarded in a child process to show what the process does (scenario entries). Default false. */
  readonly consequence?: boolean;
}

/** What one exploration found. */
export type Finding =
  | {
      readonly kind: "found";
      readonly name: string;
      /** The verdict label of the shrunk counterexample. */
      readonly label: string;
      /** `label` is one of the entry's expected labels. */
      readonly expected: boolean;
      readonly seed: number;
      /** fast-check's counterexample path (replays the run with `seed`). */
      readonly path: string;
      /** Runs until the first failure. */
      readonly runs: number;
      /** Successful shrink steps. */
      readonly shrinks: number;
      readonly size: ZooSize;
      /** `size` is one of the entry's known minima. */
      readonly minimal: boolean;
      /** Timeline, verdict in words, replay line and fast-check line, ready to print. */
      readonly text: string;
      /** What `writeTimeline` draws (HTML, SVG). */
      readonly timeline: TimelineInput;
      /** The real consequence, when asked for and the entry has one. */
      readonly consequence: Consequence | null;
    }
  | {
      readonly kind: "not-found";
      readonly name: string;
      readonly seed: number;
      readonly runs: number;
      /** Why: every run passed, or a time limit interrupted the search (never a pass). */
      readonly reason: "passed" | "interrupted";
    };

/** What a finished fast-check search reports (its run details). */
export interface SearchEnd {
  readonly failed: boolean;
  readonly interrupted: boolean;
  readonly counterexamplePath: string | null;
  readonly numRuns: number;
  readonly numShrinks: number;
}

/** The not-found finding of a search that ended without a counterexample. */
export function notFound(name: string, seed: number, end: SearchEnd): Finding {
  return { kind: "not-found", name, seed, runs: end.numRuns, reason: end.interrupted ? "interrupted" : "passed" };
}

/** Where a search found its counterexample: the finding's common facts and the fast-check line. */
export function foundAt(name: string, seed: number, end: SearchEnd): { readonly facts: Pick<Extract<Finding, { kind: "found" }>, "name" | "seed" | "path" | "runs" | "shrinks">; readonly where: string } {
  const path = end.counterexamplePath ?? "";
  return {
    facts: { name, seed, path, runs: end.numRuns, shrinks: end.numShrinks },
    where: `fast-check: seed=${seed} path=${JSON.stringify(path)} after ${end.numRuns} run(s), shrunk ${end.numShrinks} time(s)`,
  };
}

/** How a counterexample ends a real process (unguarded, in a child with a time limit). */
export interface Consequence {
  readonly outcome: ProcessOutcome;
  /** One line: "aborted (SIGABRT, exit 134) after 0.4 s: terminate called ...". */
  readonly summary: string;
}
