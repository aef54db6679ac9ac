// Child process of the kit-zoo suite (through tsx: the zoo is TypeScript under properties/):
// one zoo entry explored with several fast-check seeds in a row, each timed from the start of
// the search to the shrunk counterexample printed (ExploreOptions.consequence off: the real
// consequence of a scenario entry is a separate child process with its own time limit).
// Configuration (JSON in argv[2]): { entry: string, seeds: number[] }.
import { emit, epochNow } from "../rig/protocol.js";
import { zoo } from "../../src/zoo/zoo.js";

interface Config {
  readonly entry: string;
  readonly seeds: readonly number[];
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "null") as Config | null;
  if (config === null || typeof config.entry !== "string" || !Array.isArray(config.seeds) || config.seeds.length === 0) {
    throw new Error("usage: zoo-child.ts '{\"entry\": NAME, \"seeds\": [S, ...]}'");
  }
  const entry = zoo.find((e) => e.name === config.entry);
  if (entry === undefined) throw new Error(`no zoo entry "${config.entry}"; known: ${zoo.map((e) => e.name).join(", ")}`);
  const times: number[] = [];
  const runs: number[] = [];
  const shrinks: number[] = [];
  let found = 0;
  let minimal = 0;
  let label = "";
  for (const seed of config.seeds) {
    const start = epochNow();
    const finding = await entry.explore({ seed, consequence: false });
    times.push(epochNow() - start);
    if (finding.kind !== "found") continue;
    found++;
    if (finding.minimal) minimal++;
    label = finding.label;
    runs.push(finding.runs);
    shrinks.push(finding.shrinks);
  }
  const [cold, ...warm] = times;
  emit({
    kind: "result",
    metrics: {
      ms: median(warm.length > 0 ? warm : times),
      "ms:cold": cold as number,
      "ms:max": Math.max(...times),
      ...(runs.length > 0 ? { runs: median(runs), shrinks: median(shrinks) } : {}),
      found: found / config.seeds.length,
      minimal: minimal / config.seeds.length,
      seeds: config.seeds.length,
    },
    notes: { label },
  });
}

main().catch((err: unknown) => {
  emit({ kind: "result", metrics: {}, notes: { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } });
  process.exitCode = 1;
});
