import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { dataFrame } from "../../bench/rig/frames.js";
import { Topology } from "../../bench/rig/topology.js";
import { patternById, patternFactory } from "../../bench/xpub/patterns.js";
import type { TopologyOptions } from "../../bench/rig/topology.js";
import type { PatternId } from "../../bench/xpub/patterns.js";

const options = (over: Partial<TopologyOptions> = {}): TopologyOptions => ({
  transport: "inproc",
  subscribers: 2,
  churnEvery: 0,
  linger: 0,
  highWaterMark: 0,
  ...over,
});

async function withTopology<T>(id: PatternId, over: Partial<TopologyOptions>, body: (t: Topology) => Promise<T>): Promise<T> {
  const topology = await Topology.open(options(over), patternFactory(patternById(id)));
  try {
    return await body(topology);
  } finally {
    await topology.close();
  }
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check() && performance.now() < until) await delay(2);
}

describe("Topology on real inproc sockets", () => {
  it("proves the join before anything is counted: probes and one fence at every subscriber, no data", async () => {
    await withTopology("C", {}, async (t) => {
      expect(t.join.probes).toBeGreaterThanOrEqual(1);
      expect(t.fanout.counter.counts("probe").every((n) => n >= 1)).toBe(true);
      expect(t.fanout.counter.counts("fence")).toEqual([1, 1]);
      expect(t.fanout.counter.counts("data")).toEqual([0, 0]);
    });
  });

  it.each(["A", "B1", "B64", "C"] as const)("pattern %s delivers every message of a batch to every subscriber", async (id) => {
    await withTopology(id, {}, async (t) => {
      const frame = dataFrame(16);
      for (let batch = 1; batch <= 3; batch++) {
        const arrival = await t.deliver(frame, 700, 10_000);
        expect(arrival).toEqual({ kind: "complete" });
        expect(t.fanout.counter.counts("data")).toEqual([700 * batch, 700 * batch]);
      }
    });
  });

  it("counts what subscribers received, not what was sent, when a high-water mark drops messages", async () => {
    await withTopology("C", { subscribers: 1, highWaterMark: 4 }, async (t) => {
      const arrival = await t.deliver(dataFrame(16), 2_000, 300);
      expect(arrival.kind).toBe("timed-out");
      if (arrival.kind === "timed-out") {
        expect(arrival.targets).toEqual([2_000]);
        expect(arrival.counts[0]).toBeLessThan(2_000);
        expect(arrival.counts[0]).toBe(t.fanout.counter.count(0));
      }
    });
  });

  it("with churn, subscribers toggle a topic every N messages and the async pattern reads every event", async () => {
    await withTopology("A", { churnEvery: 10 }, async (t) => {
      const before = t.publishing.eventsRead;
      await t.deliver(dataFrame(16), 200, 10_000);
      expect(t.fanout.churnToggles).toBe(2 * 20);
      await eventually(() => t.publishing.eventsRead - before >= 40);
      expect(t.publishing.eventsRead - before).toBe(40);
    });
  });

  it("the poller reads events only between sends, and catches up on the next batch", async () => {
    await withTopology("B16", { churnEvery: 10, subscribers: 1 }, async (t) => {
      const start = t.publishing.eventsRead;
      await t.deliver(dataFrame(16), 200, 10_000);
      await delay(20);
      await t.deliver(dataFrame(16), 200, 10_000);
      // 40 toggles so far; the ones made during the second batch's last sends are read later
      expect(t.fanout.churnToggles).toBe(40);
      expect(t.publishing.eventsRead - start).toBeGreaterThanOrEqual(20);
      expect(t.publishing.eventsRead - start).toBeLessThanOrEqual(40);
    });
  });

  it("the raw PUB reads no events", async () => {
    await withTopology("C", { churnEvery: 10 }, async (t) => {
      await t.deliver(dataFrame(16), 100, 10_000);
      expect(t.fanout.churnToggles).toBe(20);
      expect(t.publishing.eventsRead).toBe(0);
    });
  });
});
