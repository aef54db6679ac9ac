import { KitError } from "../errors.js";
import { prepareDirectory } from "../report/directory.js";
import type { ZooEntry } from "../zoo/entry.js";
import { zoo as ZOO } from "../zoo/zoo.js";
import { parseArgs } from "./args.js";
import { exploreZoo } from "./explore-zoo.js";
import { helpText } from "./help.js";
import type { CliIo } from "./io.js";
import { replayCommand } from "./replay-command.js";
import { counterexamples, isFound, progressLine, summaryTable } from "./summary.js";
import { UsageError } from "./usage-error.js";

export type { CliIo, Writer } from "./io.js";

/** What `main` may be given instead of the defaults (tests inject a zoo and a seed source). */
export interface MainOptions {
  /** The entries to explore. Default: the bug zoo (`src/zoo`). */
  readonly zoo?: readonly ZooEntry[];
  /** Where a seed comes from when `--seed` is not given. Default: `Math.random`. */
  readonly randomSeed?: () => number;
}

/** Exit statuses: every bug found (or the replay reproduced), one was not (or something failed), the command line was wrong. */
export const EXIT = { found: 0, notFound: 1, usage: 2 } as const;

/** The command's name in its messages. */
export const PROGRAM = "zmq-interleave";

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

function usage(io: CliIo, err: UsageError | KitError): number {
  io.stderr.write(`${PROGRAM}: ${err.message}\n(see ${PROGRAM} --help)\n`);
  return EXIT.usage;
}

/**
 * `npx zmq-interleave` (`npm start --` in a clone): explores the zoo (a progress line per
 * entry), prints the summary table and the timeline of every counterexample with its replay
 * line, and returns the exit status: 0 when every bug was found, 1 when one was not, 2 for a
 * command line it cannot run (the message goes to stderr, never a stack trace). With
 * `--replay LINE` it replays one line instead: 0 when the model reproduces its verdict.
 */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const entries = options.zoo ?? ZOO;
  const names = entries.map((e) => e.name);
  let args;
  try {
    args = parseArgs(argv, names);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usage(io, err);
  }
  if (args.kind === "help") {
    io.stdout.write(helpText(names));
    return EXIT.found;
  }
  if (args.kind === "replay") {
    try {
      return (await replayCommand(args.line, io.stdout)) === "reproduced" ? EXIT.found : EXIT.notFound;
    } catch (err) {
      if (err instanceof UsageError) return usage(io, err);
      throw err;
    }
  }
  if (args.timelineOut !== null) {
    // Checked before exploring: a directory that cannot be written fails now, not after the search.
    try {
      await prepareDirectory("--timeline-out", args.timelineOut);
    } catch (err) {
      if (!KitError.is(err)) throw err;
      return usage(io, err);
    }
  }
  const chosen = args.scenarios.length === 0 ? entries : entries.filter((e) => args.scenarios.includes(e.name));
  const seed = args.seed ?? (options.randomSeed ?? randomSeed)();
  const budget = args.runs === null ? "each scenario's default runs (100 for user code, 2000 for model scenarios)" : `${args.runs} runs per scenario`;
  io.stdout.write(`${PROGRAM}: exploring the bug zoo, ${chosen.length} scenario${chosen.length === 1 ? "" : "s"}, seed ${seed} (repeat with --seed ${seed}), ${budget}\n\n`);
  const started = performance.now();
  let results;
  try {
    results = await exploreZoo(chosen, { runs: args.runs, seed, timelineOut: args.timelineOut }, (r, i) => io.stdout.write(`${progressLine(r, i, chosen.length)}\n`));
  } catch (err) {
    // A kit error (say, a timeline file that cannot be written after all) is reported in words.
    if (!KitError.is(err)) throw err;
    io.stderr.write(`${PROGRAM}: ${err.message}\n`);
    return EXIT.notFound;
  }
  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(`\nSummary (seed ${seed}, ${elapsed} s)\n${summaryTable(results)}\n`);
  const shown = counterexamples(results);
  if (shown !== "") io.stdout.write(`\n${shown}\n`);
  const missed = results.filter((r) => !isFound(r));
  if (missed.length === 0) {
    io.stdout.write(`\nEvery bug was found (${results.length}/${results.length}).\n`);
    return EXIT.found;
  }
  const why = missed.map((r) => {
    const f = r.finding;
    return f.kind === "found" ? `${r.entry.name} (found ${f.label}, expected ${r.entry.expected.join(" or ")})` : `${r.entry.name} (no failure in ${f.runs} runs)`;
  });
  io.stderr.write(`\n${PROGRAM}: ${missed.length} of ${results.length} bugs not found: ${why.join("; ")}. Try more runs (--runs N) or another seed (--seed S).\n`);
  return EXIT.notFound;
}
