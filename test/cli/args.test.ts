import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { UnknownScenarioError, UsageError } from "../../src/cli/usage-error.js";

const NAMES = ["alpha", "beta", "gamma"];

function problem(argv: readonly string[]): string {
  try {
    parseArgs(argv, NAMES);
  } catch (err) {
    if (err instanceof UsageError) return err.problem;
    throw err;
  }
  return "none";
}

describe("parseArgs", () => {
  it("defaults: every scenario, random seed, each scenario's default runs, no timeline files", () => {
    expect(parseArgs([], NAMES)).toEqual({ kind: "explore", runs: null, seed: null, scenarios: [], timelineOut: null });
  });

  it("reads --runs, --seed and --timeline-out, as `--flag value` or `--flag=value`", () => {
    expect(parseArgs(["--runs", "5", "--seed=-3", "--timeline-out", "/tmp/tl"], NAMES)).toEqual({ kind: "explore", runs: 5, seed: -3, scenarios: [], timelineOut: "/tmp/tl" });
  });

  it("--scenario is repeatable and takes comma lists; names come back once each, in the zoo's order", () => {
    const a = parseArgs(["--scenario", "gamma,alpha", "--scenario=alpha", "--scenario", "beta"], NAMES);
    expect(a).toMatchObject({ scenarios: ["alpha", "beta", "gamma"] });
  });

  it("--help (or -h) wins over everything else", () => {
    expect(parseArgs(["--runs", "3", "--help"], NAMES)).toEqual({ kind: "help" });
    expect(parseArgs(["-h"], NAMES)).toEqual({ kind: "help" });
  });

  it("an unknown scenario is a typed error that lists the valid names", () => {
    let error: unknown;
    try {
      parseArgs(["--scenario", "alpha,delta,zeta"], NAMES);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnknownScenarioError);
    const e = error as UnknownScenarioError;
    expect(e.code).toBe("INVALID_OPTIONS");
    expect(e.problem).toBe("unknown-scenario");
    expect(e.unknown).toEqual(["delta", "zeta"]);
    expect(e.message).toBe('unknown scenario "delta", "zeta"; the zoo has: alpha, beta, gamma');
  });

  it("bad command lines are usage errors with a stable problem", () => {
    expect(problem(["--verbose"])).toBe("unknown-flag");
    expect(problem(["alpha"])).toBe("unknown-flag");
    expect(problem(["--runs"])).toBe("missing-value");
    expect(problem(["--runs", "--seed", "1"])).toBe("missing-value");
    expect(problem(["--runs="])).toBe("missing-value");
    expect(problem(["--runs", "0"])).toBe("bad-value");
    expect(problem(["--runs", "1.5"])).toBe("bad-value");
    expect(problem(["--runs", "ten"])).toBe("bad-value");
    expect(problem(["--seed", "1e3"])).toBe("bad-value");
    expect(problem(["--seed", String(2 ** 31)])).toBe("bad-value");
    expect(problem(["--scenario", "alpha,,beta"])).toBe("bad-value");
  });

  it("messages say what was wrong and what is allowed", () => {
    expect(() => parseArgs(["--runs", "0"], NAMES)).toThrow('--runs must be a whole number of at least 1, got "0"');
    expect(() => parseArgs(["--verbose"], NAMES)).toThrow('unknown flag "--verbose"; the flags are --runs, --seed, --scenario, --timeline-out, --replay, --help');
  });
});
