/**
 * Command-line options of `npm run bench`.
 */
import { parseArgs } from "node:util";
import { BenchError } from "./errors.js";
import type { Profile } from "./suite.js";

/** What the user asked for. */
export interface BenchArgs {
  readonly profile: Profile;
  /** suites to run; empty means all */
  readonly suites: readonly string[];
  /** runs per case instead of the profile's default */
  readonly rounds?: number;
  readonly list: boolean;
  /** redraw the chart and bench/README.md from bench/results/latest.json without running anything */
  readonly render: boolean;
  readonly help: boolean;
}

/** Usage text. */
export const usage = `usage: npm run bench -- [options]

  --quick          smoke run (under 3 minutes); writes bench/results/quick.tmp.{json,svg}
  --suite <name>   run one suite (repeatable); a full run of a subset is merged into
                   bench/results/latest.json and the chart and bench/README.md are redrawn
  --rounds <n>     runs per case instead of the profile's default (results go to *.tmp.*)
  --list           list the suites and what a run would cost, then exit
  --render         redraw chart.svg and the results in bench/README.md from latest.json, run nothing
  --help           this text

Without options: every suite, full profile, results to bench/results/latest.json,
bench/results/chart.svg and the results section of bench/README.md.`;

/** Parses `argv` (without node and script). Throws BAD_ARGS with the usage on a mistake. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: "boolean", default: false },
        suite: { type: "string", multiple: true, default: [] },
        rounds: { type: "string" },
        list: { type: "boolean", default: false },
        render: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new BenchError("BAD_ARGS", `${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
  }
  const v = parsed.values;
  let rounds: number | undefined;
  if (v.rounds !== undefined) {
    rounds = Number(v.rounds);
    if (!Number.isInteger(rounds) || rounds < 1) throw new BenchError("BAD_ARGS", `--rounds needs a positive integer, got ${v.rounds}\n\n${usage}`);
  }
  return {
    profile: v.quick ? "quick" : "full",
    suites: v.suite,
    ...(rounds === undefined ? {} : { rounds }),
    list: v.list,
    render: v.render,
    help: v.help,
  };
}
