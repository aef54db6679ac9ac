// Child process of the kit-search suite (through tsx): one seeded order bug searched with
// every strategy of the table, or bounded exhaustive search timed on 3-actor x 4-op spaces.
// Configuration (JSON in argv[2]):
//   { "kind": "strategies", "bug": NAME, "seeds": [S, ...], "budget": N }
//   { "kind": "exhaustive", "seed": S, "count": N }
import fc from "fast-check";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { explore } from "../../src/campaign/explore.js";
import { emit, epochNow } from "../rig/protocol.js";
import { ORDER_BUGS } from "./order-bugs.js";
import { medianRuns, searchBug, STRATEGIES } from "./search.js";

type Config =
  | { readonly kind: "strategies"; readonly bug: string; readonly seeds: readonly number[]; readonly budget: number }
  | { readonly kind: "exhaustive"; readonly seed: number; readonly count: number };

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Metric-name ids of the table's strategies. */
export const STRATEGY_IDS = ["random", "random-0.3", "pct-3", "exhaustive-2"] as const;

function strategies(config: Extract<Config, { kind: "strategies" }>): void {
  const bug = ORDER_BUGS.find((b) => b.name === config.bug);
  if (bug === undefined) throw new Error(`no order bug "${config.bug}"; known: ${ORDER_BUGS.map((b) => b.name).join(", ")}`);
  const metrics: Record<string, number> = { seeds: config.seeds.length, budget: config.budget, tasks: bug.tasks };
  STRATEGIES.forEach((s, k) => {
    const id = STRATEGY_IDS[k] ?? `s${k}`;
    const stats = searchBug(bug, s.spec, config.seeds, config.budget);
    metrics[`runs:${id}`] = medianRuns(stats, config.budget);
    metrics[`found:${id}`] = stats.runsToFind.filter((r) => r !== null).length;
    metrics[`perRun:${id}`] = stats.perRun;
    metrics[`ms:${id}`] = stats.ms;
    metrics["k"] = Math.max(metrics["k"] ?? 0, stats.steps);
    if (stats.bound !== null) metrics[`bound:${id}`] = stats.bound;
  });
  emit({ kind: "result", metrics, notes: { bug: bug.name } });
}

function exhaustiveTimes(config: Extract<Config, { kind: "exhaustive" }>): void {
  // 3 tasks on one thread, exactly 4 ops each; respecting programs and programs with violations.
  const shape = { threads: 1, tasksPerThread: 3, minTasksPerThread: 3, maxOps: 4, minOps: 4 } as const;
  const metrics: Record<string, number> = {};
  for (const ownership of ["respect", "any"] as const) {
    const xs = fc
      .sample(interleavings({ ...shape, ownership }), { seed: config.seed, numRuns: config.count * 4 })
      .filter((x) => x.programs.length === 3 && x.programs.every((p) => p.ops.length === 4))
      .slice(0, config.count);
    for (const reduction of [true, false]) {
      const times: number[] = [];
      const runs: number[] = [];
      let complete = 0;
      for (const x of xs) {
        const started = epochNow();
        const r = explore(x, { strategy: { strategy: "exhaustive", preemptionBound: 2, reduction }, budget: 1_000_000, stopAtFailure: false });
        times.push(epochNow() - started);
        runs.push(r.runs);
        if (r.kind !== "unknown") complete++;
      }
      const id = `${ownership}${reduction ? "" : ":full"}`;
      metrics[`ms:${id}`] = median(times);
      metrics[`ms-max:${id}`] = Math.max(...times);
      metrics[`runs:${id}`] = median(runs);
      metrics[`runs-max:${id}`] = Math.max(...runs);
      metrics[`complete:${id}`] = complete / xs.length;
      metrics[`spaces:${id}`] = xs.length;
    }
  }
  emit({ kind: "result", metrics, notes: {} });
}

function main(): void {
  const config = JSON.parse(process.argv[2] ?? "null") as Config | null;
  if (config?.kind === "strategies") strategies(config);
  else if (config?.kind === "exhaustive") exhaustiveTimes(config);
  else throw new Error('usage: search-child.ts \'{"kind": "strategies" | "exhaustive", ...}\'');
}

try {
  main();
} catch (err) {
  emit({ kind: "result", metrics: {}, notes: { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } });
  process.exitCode = 1;
}
