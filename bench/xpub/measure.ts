/**
 * Measures every pattern of one configuration in this process with tinybench. Each
 * iteration publishes a batch and ends when every subscriber has received all of it, so
 * the rate is deliveries, not sends.
 *
 * The shared 2-core machine is slow in stretches of about a second that hit every pattern
 * alike, so one long task after another would pair a pattern with the raw PUB measured in a
 * different stretch. Instead the topologies (one per pattern, each joined) stay open for
 * the whole process and tinybench runs several short rounds over all tasks, each round in
 * a rotated order; a pattern's rate is the median of its samples from every round. Only
 * the first round warms up (tinybench warms every task up before measuring any).
 */
import { Bench } from "tinybench";
import { BenchError, describeError } from "../rig/errors.js";
import { dataFrame } from "../rig/frames.js";
import { rotate } from "../rig/schedule.js";
import { quantile } from "../rig/stats.js";
import { Topology } from "../rig/topology.js";
import { churnEvery } from "./config.js";
import { patternById, patternFactory } from "./patterns.js";
import type { XpubConfig } from "./config.js";
import type { PatternId } from "./patterns.js";

/** The numbers one run reports, keyed for the results file. */
export interface XpubRun {
  /**
   * `<id>`: msg/s delivered to every subscriber (batch / median iteration time);
   * `iterations:<id>`, `events:<id>` (subscription events read), `toggles:<id>` (churn
   * subscribe/unsubscribe calls), `lost:<id>` (deliveries expected but not counted; 0)
   */
  readonly metrics: Record<string, number>;
  /** `error:<id>` for a pattern that failed */
  readonly notes: Record<string, string>;
}

/** Counted over the measured phases of one pattern. */
interface Tally {
  readonly samples: number[];
  events: number;
  toggles: number;
  delivered: number;
  expected: number;
}

const deliveryTimeoutMs = 20_000;

/** Runs the rounds for `config` and returns per-pattern rates and counts. */
export async function measureXpub(config: XpubConfig): Promise<XpubRun> {
  const topologies = new Map<PatternId, Topology>();
  const tallies = new Map<PatternId, Tally>();
  const notes: Record<string, string> = {};
  try {
    for (const id of config.order) {
      topologies.set(id, await Topology.open(
        {
          transport: config.transport,
          subscribers: config.subscribers,
          churnEvery: config.churn ? churnEvery : 0,
          linger: 0,
          // no high-water mark: nothing is dropped, every batch is delivered in full
          highWaterMark: 0,
        },
        patternFactory(patternById(id)),
      ));
      tallies.set(id, { samples: [], events: 0, toggles: 0, delivered: 0, expected: 0 });
    }
    const frame = dataFrame(config.size);
    for (let round = 0; round < config.timing.rounds; round++) {
      const bench = new Bench({
        time: config.timing.timeMs,
        iterations: config.timing.iterations,
        warmup: round === 0,
        warmupTime: config.timing.warmupMs,
        warmupIterations: config.timing.warmupIterations,
        retainSamples: true,
        throws: false,
      });
      for (const id of rotate(config.order, round)) {
        if (notes[`error:${id}`] === undefined) addTask(bench, id, topologies.get(id), tallies.get(id), config, frame);
      }
      await bench.run();
      for (const task of bench.tasks) {
        const result = task.result;
        if (result.state === "completed") tallies.get(task.name as PatternId)?.samples.push(...(result.latency.samples ?? []));
        else notes[`error:${task.name}`] = result.state === "errored" ? describeError(result.error) : result.state;
      }
    }
  } finally {
    for (const topology of topologies.values()) await topology.close();
  }

  const metrics: Record<string, number> = {};
  for (const [id, tally] of tallies) {
    if (notes[`error:${id}`] !== undefined || tally.samples.length === 0) continue;
    const sorted = [...tally.samples].sort((a, b) => a - b);
    metrics[id] = (config.batch * 1000) / quantile(sorted, 0.5);
    metrics[`iterations:${id}`] = sorted.length;
    metrics[`events:${id}`] = tally.events;
    metrics[`toggles:${id}`] = tally.toggles;
    metrics[`lost:${id}`] = tally.expected - tally.delivered;
  }
  return { metrics, notes };
}

function addTask(bench: Bench, id: PatternId, topology: Topology | undefined, tally: Tally | undefined, config: XpubConfig, frame: Buffer): void {
  if (topology === undefined || tally === undefined) throw new BenchError("BAD_SUITE", `pattern ${id} has no topology`);
  let start = { events: 0, toggles: 0, delivered: 0 };
  let iterations = 0;
  bench.add(
    id,
    async () => {
      const arrival = await topology.deliver(frame, config.batch, deliveryTimeoutMs);
      iterations += 1;
      if (arrival.kind === "timed-out") {
        const missing = arrival.targets.reduce((sum, t, i) => sum + t - (arrival.counts[i] ?? 0), 0);
        throw new BenchError("DELIVERY_TIMEOUT", `${id}: ${missing} deliveries missing after ${deliveryTimeoutMs} ms`);
      }
    },
    {
      beforeAll: (mode) => {
        if (mode !== "run") return;
        iterations = 0;
        start = { events: topology.publishing.eventsRead, toggles: topology.fanout.churnToggles, delivered: topology.fanout.counter.total("data") };
      },
      afterAll: (mode) => {
        if (mode !== "run") return;
        tally.events += topology.publishing.eventsRead - start.events;
        tally.toggles += topology.fanout.churnToggles - start.toggles;
        tally.delivered += topology.fanout.counter.total("data") - start.delivered;
        tally.expected += iterations * config.batch * config.subscribers;
      },
    },
  );
}
