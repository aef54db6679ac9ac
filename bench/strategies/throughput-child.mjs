// Child process of the kit-search suite (plain node, the compiled kit): how fast the model
// checks interleavings that run every op. Every sample is checked whole (no early stop); the
// rate is interleavings per second and model steps per second, over tinybench rounds.
// Configuration (JSON in argv[2]): { dist, samplesFile, timing }.
import { emitFailure, emitResult, kit, measureRounds, rate, readConfig, readSamples } from "../kit/rounds.mjs";

async function main() {
  const config = readConfig();
  const { checkInterleaving } = await kit(config, "model/check.js");
  const samples = await readSamples(config);
  if (samples.length === 0) throw new Error("no samples");
  const bare = { validate: false, history: false };
  let steps = 0;
  const verdicts = {};
  for (const x of samples) {
    const r = checkInterleaving(x, bare);
    steps += r.steps;
    const label = r.verdict.kind === "violation" ? r.verdict.rule : r.verdict.kind;
    verdicts[label] = (verdicts[label] ?? 0) + 1;
  }
  let sink = 0;
  const tasks = [{ name: "check", units: samples.length, fn: () => { for (const x of samples) sink += checkInterleaving(x, bare).steps; } }];
  const latencies = await measureRounds(tasks, config.timing);
  const perSecond = rate(latencies.get("check"), samples.length);
  const metrics = { "interleavings/s": perSecond, "steps/s": (perSecond * steps) / samples.length, "steps/check": steps / samples.length, samples: samples.length };
  for (const [k, n] of Object.entries(verdicts)) metrics[`verdict:${k}`] = n;
  emitResult(metrics, { sink: String(sink) });
}

try {
  await main();
} catch (err) {
  emitFailure(err);
}
