import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ZooEntry } from "../zoo/entry.js";
import { zoo as ZOO } from "../zoo/zoo.js";
import { KitError } from "../errors.js";
import { parseArgs } from "./args.js";
import { exploreZoo } from "./explore-zoo.js";
import { helpText } from "./help.js";
import { counterexamples, isFound, progressLine, summaryTable } from "./summary.js";
import { UsageError } from "./usage-error.js";

/** Something text can be written to: `process.stdout`, or a collector in tests. */
export interface Writer {
  write(text: string): unknown;
}

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

/** What `main` may be given instead of the defaults (tests inject a zoo and a seed source). */
export interface MainOptions {
  /** The entries to explore. Default: the bug zoo (`src/zoo`). */
  readonly zoo?: readonly ZooEntry[];
  /** Where a seed comes from when `--seed` is not given. Default: `Math.random`. */
  readonly randomSeed?: () => number;
}

/** Exit statuses: every bug found, one was not (or something failed), the command line was wrong. */
export const EXIT = { found: 0, notFound: 1, usage: 2 } as const;

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * `npm start`: explores the zoo (a progress line per entry), prints the summary table and the
 * timeline of every counterexample with its replay line, and returns the exit status: 0 when
 * every bug was found, 1 when one was not, 2 for a command line it cannot run (the message
 * goes to stderr, never a stack trace).
 */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const entries = options.zoo ?? ZOO;
  const names = entries.map((e) => e.name);
  let args;
  try {
    args = parseArgs(argv, names);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`npm start: ${err.message}\n(see npm start -- --help)\n`);
    return EXIT.usage;
  }
  if (args.kind === "help") {
    io.stdout.write(helpText(names));
    return EXIT.found;
  }
  const chosen = args.scenarios.length === 0 ? entries : entries.filter((e) => args.scenarios.includes(e.name));
  const seed = args.seed ?? (options.randomSeed ?? randomSeed)();
  const budget = args.runs === null ? "each scenario's default runs (100 for user code, 2000 for model scenarios)" : `${args.runs} runs per scenario`;
  io.stdout.write(`zmq-interleave: exploring the bug zoo, ${chosen.length} scenario${chosen.length === 1 ? "" : "s"}, seed ${seed} (repeat with --seed ${seed}), ${budget}\n\n`);
  const started = performance.now();
  let results;
  try {
    results = await exploreZoo(chosen, { runs: args.runs, seed, timelineOut: args.timelineOut }, (r, i) => io.stdout.write(`${progressLine(r, i, chosen.length)}\n`));
  } catch (err) {
    // A kit error (say, a timeline directory that cannot be written) is reported in words.
    if (!KitError.is(err) && !(err instanceof Error && "code" in err)) throw err;
    io.stderr.write(`npm start: ${err instanceof Error ? err.message : String(err)}\n`);
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
  io.stderr.write(`\nnpm start: ${missed.length} of ${results.length} bugs not found: ${why.join("; ")}. Try more runs (--runs N) or another seed (--seed S).\n`);
  return EXIT.notFound;
}

/** True when this file is the program being run (`tsx src/cli/main.ts`), not an import. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
