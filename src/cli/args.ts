import { showValue } from "../input/show.js";
import { UnknownScenarioError, UsageError } from "./usage-error.js";

/** What the command (`npx zmq-interleave`, or `npm start --` in a clone) was asked to do. */
export type CliArgs =
  | { readonly kind: "help" }
  | {
      readonly kind: "replay";
      /** A replay line (`replay: ... interleaving="zi1 ..."`) or an interleaving string (`zi1 ...`). */
      readonly line: string;
    }
  | {
      readonly kind: "explore";
      /** Runs per scenario; `null` for each scenario's default. */
      readonly runs: number | null;
      /** fast-check seed; `null` for a random one (printed, so a run can be repeated). */
      readonly seed: number | null;
      /** Scenario names to explore, in the zoo's order; empty for all of them. */
      readonly scenarios: readonly string[];
      /** Directory for the HTML and SVG timelines; `null` for none. */
      readonly timelineOut: string | null;
    };

const FLAGS = ["--runs", "--seed", "--scenario", "--timeline-out", "--replay", "--help"] as const;

function value(argv: readonly string[], i: number, flag: string, inline: string | undefined): { value: string; next: number } {
  if (inline !== undefined) {
    if (inline === "") throw new UsageError("missing-value", `${flag} needs a value (${flag}=VALUE or ${flag} VALUE)`);
    return { value: inline, next: i + 1 };
  }
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new UsageError("missing-value", `${flag} needs a value`);
  return { value: v, next: i + 2 };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError("bad-value", `${flag} must be a whole number of at least 1, got ${showValue(text)}`);
  return n;
}

function seedValue(text: string): number {
  const n = Number(text);
  // fast-check seeds are 32-bit integers.
  if (!/^-?[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) {
    throw new UsageError("bad-value", `--seed must be an integer from -2147483648 to 2147483647, got ${showValue(text)}`);
  }
  return n;
}

/**
 * Reads the command line (`process.argv.slice(2)`): flags to explore the zoo, or `--replay LINE`. `valid` is the zoo's scenario names:
 * `--scenario` takes them repeated or as a comma list. Throws `UsageError` (exit status 2)
 * for anything it cannot run.
 */
export function parseArgs(argv: readonly string[], valid: readonly string[]): CliArgs {
  let runs: number | null = null;
  let seed: number | null = null;
  let timelineOut: string | null = null;
  let replay: string | null = null;
  const asked: string[] = [];
  for (let i = 0; i < argv.length; ) {
    const arg = argv[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    switch (flag) {
      case "--help":
      case "-h":
        return { kind: "help" };
      case "--runs": {
        const v = value(argv, i, flag, inline);
        runs = positiveInt(flag, v.value);
        i = v.next;
        break;
      }
      case "--seed": {
        const v = value(argv, i, flag, inline);
        seed = seedValue(v.value);
        i = v.next;
        break;
      }
      case "--scenario": {
        const v = value(argv, i, flag, inline);
        const names = v.value.split(",").map((s) => s.trim());
        if (names.some((n) => n === "")) throw new UsageError("bad-value", `--scenario takes names separated by commas, got ${showValue(v.value)}`);
        asked.push(...names);
        i = v.next;
        break;
      }
      case "--timeline-out": {
        const v = value(argv, i, flag, inline);
        timelineOut = v.value;
        i = v.next;
        break;
      }
      case "--replay": {
        // The line itself may start with "--" no more than any text does; take the next argument whole.
        const v = inline !== undefined || argv[i + 1] === undefined ? value(argv, i, flag, inline) : { value: argv[i + 1] as string, next: i + 2 };
        if (v.value.trim() === "") throw new UsageError("missing-value", "--replay needs a replay line (replay: ...) or an interleaving (zi1 ...)");
        replay = v.value;
        i = v.next;
        break;
      }
      default:
        throw new UsageError("unknown-flag", `unknown ${arg.startsWith("-") ? "flag" : "argument"} ${showValue(arg)}; the flags are ${FLAGS.join(", ")}`);
    }
  }
  if (replay !== null) {
    if (runs !== null || seed !== null || asked.length > 0 || timelineOut !== null) throw new UsageError("bad-value", "--replay runs one line on its own; leave out --runs, --seed, --scenario and --timeline-out");
    return { kind: "replay", line: replay };
  }
  const unknown = asked.filter((n, k) => !valid.includes(n) && asked.indexOf(n) === k);
  if (unknown.length > 0) throw new UnknownScenarioError(unknown, valid);
  return { kind: "explore", runs, seed, scenarios: valid.filter((n) => asked.includes(n)), timelineOut };
}
