// Child process of the kit-user suite: a corpus program (properties/corpus/) run as user code.
// Configuration (JSON in argv[2]):
//   { kind: "raw", program, runs }       the program on the plain binding, `runs` timed runs;
//   { kind: "kit", program, runs }       the same program under checkInterleaves (the package
//                                        instrumented in place, as a runner without vi.mock does):
//                                        a search of `runs` runs, each a whole run of the program;
//   { kind: "search", program, strategy, depth, seeds, budget }
//                                        runs to the first failing run, per seed;
//   { kind: "replay", program, runs }    guided replay of observed runs (properties/corpus/guided.ts),
//                                        up to BUDGET steered kit runs per observed run (a search over
//                                        lateness points), within ATTEMPTS reported apart.
// "raw" and "kit" take `scale` too: the program with SCALE times its default work (more requests
// or messages per run, the same sockets and tasks), to show the cost per completion apart from
// the cost of starting and ending a run.
// A mode that instruments does it before the program is imported (ES modules take zeromq's
// exports when they are first imported), so "raw" and "kit" need separate processes.
import { emit, epochNow } from "../rig/protocol.js";
import { summarize } from "../rig/stats.js";

type Config =
  | { readonly kind: "raw" | "kit" | "replay"; readonly program: string; readonly runs: number; readonly latencyMs?: number; readonly scale?: number }
  | { readonly kind: "search"; readonly program: string; readonly strategy: "random" | "pct"; readonly depth: number; readonly seeds: readonly number[]; readonly budget: number };

/** The median (NaN for no values). */
function median(values: readonly number[]): number {
  return summarize(values)?.median ?? Number.NaN;
}

const WARMUP = 3;

/** Programs that can run with more work: `n` times their default requests or messages. */
async function scaled(program: string, n: number): Promise<(() => Promise<unknown>) | null> {
  if (program === "req-rep") {
    const { run } = await import("../../properties/corpus/programs/req-rep.js");
    return () => run({ numbers: Array.from({ length: 3 * n }, (_, i) => i) });
  }
  if (program === "request-map") {
    const { run } = await import("../../properties/corpus/programs/request-map.js");
    return () => run({ callers: 5, requests: 2 * n });
  }
  if (program === "queue") {
    const { run } = await import("../../properties/corpus/programs/queue.js");
    return () => run({ producers: 3, messages: 4 * n });
  }
  return null;
}
/** Steered kit runs per observed run (guided.ts, `steer`) before it counts as not reproduced; the first ATTEMPTS of them are reported apart. */
const ATTEMPTS = 5;
const BUDGET = 45;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "null") as Config | null;
  if (config === null || typeof config.program !== "string") throw new Error("usage: user-child.ts '{\"kind\": \"raw\"|\"kit\"|\"search\"|\"replay\", \"program\": NAME, ...}'");
  if (config.kind === "raw") {
    const { corpusProgram } = await import("../../properties/corpus/index.js");
    const p = corpusProgram(config.program);
    const big = config.scale === undefined ? null : await scaled(config.program, config.scale);
    const once = async (): Promise<void> => {
      if (big !== null) await big();
      else p.check?.(await p.run());
    };
    for (let i = 0; i < WARMUP; i++) await once();
    // The mean, as the kit side measures it (a search's time over its runs): a run's share of
    // garbage collection and of the odd slow run counts on both sides.
    const start = epochNow();
    for (let i = 0; i < config.runs; i++) await once();
    emit({ kind: "result", metrics: { "raw:ms": (epochNow() - start) / config.runs }, notes: {} });
    return;
  }
  const { instrumentInPlace } = await import("../../src/instrument/instrument.js");
  const zmq = instrumentInPlace();
  const { corpusProgram } = await import("../../properties/corpus/index.js");
  const { runInterleaved } = await import("../../src/instrument/run.js");
  const { checkInterleaves } = await import("../../src/instrument/check.js");
  const p = corpusProgram(config.program);
  const big = config.kind !== "search" && config.scale !== undefined ? await scaled(config.program, config.scale) : null;
  const fn = async (): Promise<void> => {
    if (big !== null) await big();
    else p.check?.(await p.run());
  };
  if (config.kind === "kit") {
    // One plain run to describe the workload: completions, choice points, virtual time.
    const one = await runInterleaved(fn, { zmq, timeLimitMs: 30_000 });
    if (one.label !== "ok") throw new Error(`${config.program} did not pass under the kit: ${one.label}`);
    const completions = one.history.filter((e) => e.kind === "return").length;
    await checkInterleaves(fn, { zmq, runs: WARMUP, seed: 1 });
    const start = epochNow();
    const r = await checkInterleaves(fn, { zmq, runs: config.runs, seed: 2, timeLimitMs: 600_000 });
    const ms = (epochNow() - start) / config.runs;
    if (r.kind !== "passed") throw new Error(`${config.program}: the search failed (${r.label})`);
    emit({ kind: "result", metrics: { "kit:ms": ms, completions, "virtual:ms": one.virtualMs, runs: r.runs }, notes: {} });
    return;
  }
  if (config.kind === "search") {
    const found: number[] = [];
    let within = 0;
    for (const seed of config.seeds) {
      const r = await checkInterleaves(fn, { zmq, runs: config.budget, strategy: config.strategy, ...(config.strategy === "pct" ? { depth: config.depth } : {}), seed, timeLimitMs: 600_000 });
      if (r.kind === "failed") {
        within++;
        found.push(r.runs);
      } else found.push(config.budget + 1);
    }
    emit({ kind: "result", metrics: { "runs-to-find": median(found), found: within / config.seeds.length, seeds: config.seeds.length }, notes: { runs: found.join(",") } });
    return;
  }
  const { completionOrder, divergence, steer } = await import("../../properties/corpus/guided.js");
  const orders = new Set<string>();
  const why = { "not offered": 0, "no choice": 0 };
  const attempts: number[] = [];
  let reproduced = 0;
  let searched = 0;
  let choices = 0;
  let kitRuns = 0;
  for (let i = 0; i < config.runs; i++) {
    const observed = await runInterleaved(fn, { zmq, observe: true, timeLimitMs: 30_000 });
    if (observed.label !== "ok") throw new Error(`${config.program}: an observed run ended ${observed.label}`);
    const want = completionOrder(observed.history);
    orders.add(want.join(" "));
    const steered = await steer(zmq, want, BUDGET, async (selector) => {
      const kit = await runInterleaved(fn, { zmq, selector, timeLimitMs: 30_000, ...(config.latencyMs === undefined ? {} : { latencyMs: config.latencyMs }) });
      const got = completionOrder(kit.history);
      if (process.env["ZI_DEBUG"] !== undefined && !(kit.label === "ok" && got.join(" ") === want.join(" "))) {
        const d = want.findIndex((w, k) => got[k] !== w);
        process.stderr.write(`${kit.label} diverged at ${d} (${divergence(selector, d)}): want ${want.slice(Math.max(0, d - 4), d + 3).join(" | ")}\n  got ${got.slice(Math.max(0, d - 4), d + 3).join(" | ")}\n`);
      }
      return kit;
    });
    choices += steered.choices;
    kitRuns += steered.attempts;
    if (steered.reproduced && steered.attempts <= ATTEMPTS) {
      reproduced++;
      attempts.push(steered.attempts);
    }
    if (steered.reproduced) searched++;
    else why[divergence(steered.selector, steered.at)]++;
  }
  emit({
    kind: "result",
    metrics: { reproduced: reproduced / config.runs, "reproduced-search": searched / config.runs, ...(attempts.length > 0 ? { attempts: median(attempts) } : {}), orders: orders.size, "choices/run": choices / Math.max(1, kitRuns), observed: config.runs, "not-offered": why["not offered"], "no-choice": why["no choice"] },
    notes: {},
  });
}

main().catch((err: unknown) => {
  emit({ kind: "result", metrics: {}, notes: { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } });
  process.exitCode = 1;
});
