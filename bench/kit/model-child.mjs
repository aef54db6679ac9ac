// Child process of the kit-model suite (plain node, the compiled kit): the model-only costs
// of the kit, and two references measured the same way, all in this one process so ratios
// pair them run by run. Configuration (JSON in argv[2]): see bench/suites/kit-model.ts.
//
// Every task is one call timed by tinybench; its rate is units per call / median call time:
//   check            checkInterleaving(x, { validate: false, history: false }) over the samples
//   check+history    the same with the history recorded
//   check+validate   the same with the interleaving validated first
//   check:all-steps  the same with the model's step rules off (as unguarded runs step it), so
//                    no check stops at a first violation
//   gen+check        fc.check of a property that checks each generated interleaving (numRuns)
//   fc-scheduler     fc.check of fc.scheduler(): 4 async tasks x 5 awaited steps, waitAll()
//   choices          fc.check of fc.array of 20 small ints walked as a schedule of 4 x 5
import fc from "fast-check";
import { emitFailure, emitResult, kit, measureRounds, rate, readConfig, readSamples } from "./rounds.mjs";


/** 4 tasks x 5 awaited steps under fast-check's scheduler, as a user would write them. */
function schedulerProperty() {
  return fc.asyncProperty(fc.scheduler(), async (s) => {
    const tasks = [];
    for (let a = 0; a < 4; a++) {
      tasks.push(
        (async () => {
          for (let i = 0; i < 5; i++) await s.schedule(Promise.resolve(i));
        })(),
      );
    }
    await s.waitAll();
    await Promise.all(tasks);
    return true;
  });
}

/** A schedule as a bare list of choices: 0 keeps the current actor, c picks runnable[c % n]. */
function walkChoices(choices) {
  const left = [5, 5, 5, 5];
  let current = 0;
  for (const c of choices) {
    if (c !== 0 || left[current] === 0) {
      const runnable = [];
      for (let a = 0; a < left.length; a++) if (left[a] > 0) runnable.push(a);
      if (runnable.length === 0) break;
      current = runnable[c % runnable.length];
    }
    left[current] -= 1;
  }
  return true;
}

function checked(details, what) {
  if (details.failed) throw new Error(`${what}: the property failed: ${details.errorInstance ?? details.error ?? "?"}`);
  return details.numRuns;
}

async function main() {
  const config = readConfig();
  const { interleavings } = await kit(config, "arbitraries/interleavings.js");
  const { checkInterleaving } = await kit(config, "model/check.js");
  const { createModel } = await kit(config, "model/model.js");
  const { STEP_RULES } = await kit(config, "model/verdict.js");
  const bare = { validate: false, history: false };
  const allSteps = { validate: false, history: false, model: createModel({ disabled: STEP_RULES }) };
  const samples = await readSamples(config);
  if (samples.length === 0) throw new Error("no samples");
  const arb = interleavings(config.constraints);
  const runs = config.numRuns;
  let seed = config.seed;
  let sink = 0;

  const checkAll = (options) => () => {
    for (const x of samples) sink += checkInterleaving(x, options).steps;
  };
  const tasks = [
    { name: "check", units: samples.length, fn: checkAll(bare) },
    { name: "check+history", units: samples.length, fn: checkAll({ validate: false, history: true }) },
    { name: "check+validate", units: samples.length, fn: checkAll({ validate: true, history: false }) },
    { name: "check:all-steps", units: samples.length, fn: checkAll(allSteps) },
    {
      name: "gen+check",
      units: runs.genCheck,
      fn: () => {
        const property = fc.property(arb, (x) => {
          sink += checkInterleaving(x, bare).steps;
          return true;
        });
        checked(fc.check(property, { numRuns: runs.genCheck, seed: seed++ }), "gen+check");
      },
    },
    {
      name: "fc-scheduler",
      units: runs.scheduler,
      fn: async () => {
        checked(await fc.check(schedulerProperty(), { numRuns: runs.scheduler, seed: seed++ }), "fc-scheduler");
      },
    },
    {
      name: "choices",
      units: runs.choices,
      fn: () => {
        const property = fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 20, maxLength: 20 }), walkChoices);
        checked(fc.check(property, { numRuns: runs.choices, seed: seed++ }), "choices");
      },
    },
  ];
  const latencies = await measureRounds(tasks, config.timing);

  const metrics = {};
  for (const task of tasks) {
    const l = latencies.get(task.name);
    metrics[task.name] = rate(l, task.units);
    metrics[`calls:${task.name}`] = l.length;
  }
  // What the model-only numbers cover: steps per check and how the samples end.
  const verdicts = {};
  let steps = 0;
  for (const x of samples) {
    const r = checkInterleaving(x, bare);
    steps += r.steps;
    verdicts[r.verdict.kind] = (verdicts[r.verdict.kind] ?? 0) + 1;
  }
  let stepsAll = 0;
  for (const x of samples) stepsAll += checkInterleaving(x, allSteps).steps;
  metrics["samples"] = samples.length;
  metrics["steps/check"] = steps / samples.length;
  metrics["steps/check:all-steps"] = stepsAll / samples.length;
  for (const [kind, n] of Object.entries(verdicts)) metrics[`verdict:${kind}`] = n;
  emitResult(metrics, { sink: String(sink) });
}

try {
  await main();
} catch (err) {
  emitFailure(err);
}
