import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { InterleavingConstraints } from "../arbitraries/constraints.js";
import { runCampaign } from "../campaign/campaign.js";
import { formatCoverage, mergeCoverage, readCoverage } from "../campaign/coverage.js";
import { parseShard, type Shard } from "../campaign/shard.js";
import { KitError } from "../errors.js";
import { WorkerPool } from "../runtime/pool.js";
import type { CliIo } from "./main.js";
import { UsageError } from "./usage-error.js";

/**
 * `npm run campaign -- run ...` makes one shard of a long search and writes its coverage as
 * JSON; `npm run campaign -- merge FILE...` sums the shards' files. Each run of a campaign
 * draws from its own seed, so a shard is reproducible alone (same seed, runs and shard), on
 * one CI machine or in one process of many.
 */

export const CAMPAIGN_HELP = [
  "usage: npm run campaign -- run --runs N --seed S [--shard I/C] [--out FILE] [options]",
  "       npm run campaign -- merge FILE... [--out FILE]",
  "",
  "run: draws the interleavings of runs I of C of a campaign of N runs seeded S (each run from",
  "its own seed), checks each on the model (or runs it on real sockets with --sockets), prints",
  "what the shard covered and writes it as JSON to --out. Exit status 0, or 1 when a run failed",
  "and --fail-on-failure is given.",
  "",
  "  --runs N             runs of the whole campaign (every shard together)",
  "  --seed S             the campaign's seed",
  "  --shard I/C          this process makes the I-th of C near-equal parts (default 1/1)",
  "  --out FILE           write the shard's coverage (JSON) there",
  "  --ownership O        respect, any or violate (default any)",
  "  --transport T        inproc, tcp or any (default inproc)",
  "  --threads N, --tasks N, --ops N   most threads, tasks per thread, ops per actor",
  "  --strategy S         how schedules are drawn: random or pct (default: a drawn list of choices)",
  "  --depth D            pct's depth (default 3)",
  "  --sockets            run each interleaving on real sockets (guarded) instead of the model",
  "  --fail-on-failure    exit status 1 when a run is not ok",
  "",
  "merge: reads shard files, prints the sum, and writes it to --out.",
  "",
].join("\n");

/** What the command line asked for. */
export type CampaignArgs =
  | { readonly kind: "help" }
  | {
      readonly kind: "run";
      readonly runs: number;
      readonly seed: number;
      readonly shard: Shard;
      readonly out: string | null;
      readonly constraints: InterleavingConstraints;
      readonly sockets: boolean;
      readonly failOnFailure: boolean;
    }
  | { readonly kind: "merge"; readonly files: readonly string[]; readonly out: string | null };

function int(flag: string, text: string | undefined, min: number): number {
  const n = Number(text);
  if (text === undefined || !/^-?[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new UsageError("bad-value", `${flag} needs a whole number of at least ${min}, got ${JSON.stringify(text)}`);
  return n;
}

function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T {
  if (text === undefined || !allowed.includes(text as T)) throw new UsageError("bad-value", `${flag} takes ${allowed.join(", ")}, got ${JSON.stringify(text)}`);
  return text as T;
}

/** Reads `process.argv.slice(2)` of `npm run campaign`; throws `UsageError`. */
export function parseCampaignArgs(argv: readonly string[]): CampaignArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") return { kind: "help" };
  if (command !== "run" && command !== "merge") throw new UsageError("unknown-flag", `unknown command ${JSON.stringify(command)}; use "run" or "merge"`);
  const flags = new Map<string, string>();
  const files: string[] = [];
  const bare = new Set(["--sockets", "--fail-on-failure"]);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    if (!arg.startsWith("--")) {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (bare.has(flag)) {
      flags.set(flag, "");
      continue;
    }
    const v = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (v === undefined || v === "") throw new UsageError("missing-value", `${flag} needs a value`);
    flags.set(flag, v);
  }
  const out = flags.get("--out") ?? null;
  if (command === "merge") {
    const unknown = [...flags.keys()].filter((f) => f !== "--out");
    if (unknown.length > 0) throw new UsageError("unknown-flag", `merge takes files and --out, not ${unknown.join(", ")}`);
    if (files.length === 0) throw new UsageError("missing-value", "merge needs the coverage files of the shards");
    return { kind: "merge", files, out };
  }
  const known = ["--runs", "--seed", "--shard", "--out", "--ownership", "--transport", "--threads", "--tasks", "--ops", "--strategy", "--depth", "--sockets", "--fail-on-failure"];
  const unknown = [...flags.keys()].filter((f) => !known.includes(f));
  if (unknown.length > 0 || files.length > 0) throw new UsageError("unknown-flag", `unknown ${[...unknown, ...files].map((f) => JSON.stringify(f)).join(", ")}; see npm run campaign -- --help`);
  let shard: Shard = { index: 1, count: 1 };
  const shardText = flags.get("--shard");
  if (shardText !== undefined) {
    try {
      shard = parseShard(shardText);
    } catch (err) {
      throw new UsageError("bad-value", err instanceof Error ? err.message : String(err));
    }
  }
  const constraints: Record<string, unknown> = {};
  if (flags.has("--ownership")) constraints["ownership"] = oneOf("--ownership", flags.get("--ownership"), ["respect", "any", "violate"]);
  if (flags.has("--transport")) constraints["transport"] = oneOf("--transport", flags.get("--transport"), ["inproc", "tcp", "any"]);
  if (flags.has("--threads")) constraints["threads"] = int("--threads", flags.get("--threads"), 1);
  if (flags.has("--tasks")) constraints["tasksPerThread"] = int("--tasks", flags.get("--tasks"), 1);
  if (flags.has("--ops")) constraints["maxOps"] = int("--ops", flags.get("--ops"), 0);
  if (flags.has("--strategy")) {
    const strategy = oneOf("--strategy", flags.get("--strategy"), ["random", "pct"]);
    constraints["strategy"] = strategy === "pct" && flags.has("--depth") ? { strategy, depth: int("--depth", flags.get("--depth"), 1) } : strategy;
  }
  const sockets = flags.has("--sockets");
  if (sockets) constraints["executable"] = true;
  return {
    kind: "run",
    runs: int("--runs", flags.get("--runs"), 1),
    seed: int("--seed", flags.get("--seed"), -(2 ** 31)),
    shard,
    out,
    constraints: constraints as InterleavingConstraints,
    sockets,
    failOnFailure: flags.has("--fail-on-failure"),
  };
}

/** Runs `npm run campaign`; returns the exit status (2 for a command line it cannot run). */
export async function campaignMain(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CampaignArgs;
  try {
    args = parseCampaignArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`npm run campaign: ${err.message}\n(see npm run campaign -- --help)\n`);
    return 2;
  }
  if (args.kind === "help") {
    io.stdout.write(CAMPAIGN_HELP);
    return 0;
  }
  try {
    if (args.kind === "merge") {
      const merged = mergeCoverage(args.files.map((f) => readCoverage(JSON.parse(readFileSync(f, "utf8")) as unknown, f)));
      if (args.out !== null) writeFileSync(args.out, `${JSON.stringify(merged, null, 2)}\n`);
      io.stdout.write(`${args.files.length} shard file${args.files.length === 1 ? "" : "s"} merged\n${formatCoverage(merged)}\n`);
      return 0;
    }
    const pool = args.sockets ? new WorkerPool() : null;
    try {
      const result = await runCampaign({ runs: args.runs, seed: args.seed, shard: args.shard, constraints: args.constraints, ...(pool === null ? {} : { sockets: { pool } }) });
      if (args.out !== null) writeFileSync(args.out, `${JSON.stringify(result.coverage, null, 2)}\n`);
      io.stdout.write(`shard ${args.shard.index}/${args.shard.count} of campaign seed ${args.seed} (${args.runs} runs)\n${formatCoverage(result.coverage)}\n`);
      for (const f of result.failures) io.stdout.write(`run ${f.run} (seed ${f.seed}): ${f.verdict}\n  ${f.interleaving}\n`);
      return args.failOnFailure && result.failed > 0 ? 1 : 0;
    } finally {
      await pool?.close();
    }
  } catch (err) {
    if (!KitError.is(err) && !(err instanceof SyntaxError) && !(err instanceof Error && "code" in err)) throw err;
    io.stderr.write(`npm run campaign: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

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
  process.exitCode = await campaignMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
