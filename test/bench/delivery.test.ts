import { describe, expect, it } from "vitest";
import { DeliveryCounter } from "../../bench/rig/delivery.js";
import { dataFrame, fenceFrame, frameKind, probeFrame } from "../../bench/rig/frames.js";

describe("frames", () => {
  it("are told apart by their first byte, at any size", () => {
    expect(frameKind(dataFrame(1))).toBe("data");
    expect(frameKind(dataFrame(4096))).toBe("data");
    expect(dataFrame(256).length).toBe(256);
    expect(frameKind(probeFrame())).toBe("probe");
    expect(frameKind(fenceFrame())).toBe("fence");
    expect(frameKind(Buffer.from("x"))).toBe("other");
    expect(frameKind(Buffer.alloc(0))).toBe("other");
    expect(() => dataFrame(0)).toThrow(RangeError);
  });
});

describe("DeliveryCounter", () => {
  it("counts each kind per subscriber and ignores other frames", () => {
    const c = new DeliveryCounter(2);
    c.record(0, "data");
    c.record(0, "data");
    c.record(1, "probe");
    c.record(1, "other");
    expect(c.counts("data")).toEqual([2, 0]);
    expect(c.counts("probe")).toEqual([0, 1]);
    expect(c.total("data")).toBe(2);
    expect(c.count(0)).toBe(2);
    expect(() => c.record(2, "data")).toThrow(RangeError);
  });

  it("resolves a wait only when every subscriber reached its target", async () => {
    const c = new DeliveryCounter(3);
    const targets = c.targetsAbove(2);
    let done = false;
    const wait = c.until("data", targets, 5_000).then((a) => {
      done = true;
      return a;
    });
    for (let i = 0; i < 2; i++) c.record(0, "data");
    for (let i = 0; i < 2; i++) c.record(1, "data");
    c.record(2, "data");
    await Promise.resolve();
    expect(done).toBe(false);
    c.record(2, "data");
    await expect(wait).resolves.toEqual({ kind: "complete" });
  });

  it("never lets frames to one subscriber complete another subscriber's target", async () => {
    const c = new DeliveryCounter(2);
    const wait = c.until("data", [1, 1], 50);
    for (let i = 0; i < 10; i++) c.record(0, "data");
    const arrival = await wait;
    expect(arrival).toEqual({ kind: "timed-out", counts: [10, 0], targets: [1, 1] });
  });

  it("is complete at once when the targets are already met", async () => {
    const c = new DeliveryCounter(1);
    c.record(0, "fence");
    await expect(c.until("fence", [1], 10)).resolves.toEqual({ kind: "complete" });
  });

  it("keeps waits on different kinds apart", async () => {
    const c = new DeliveryCounter(1);
    const fence = c.until("fence", [1], 5_000);
    const data = c.until("data", [2], 5_000);
    c.record(0, "data");
    c.record(0, "fence");
    await expect(fence).resolves.toEqual({ kind: "complete" });
    c.record(0, "data");
    await expect(data).resolves.toEqual({ kind: "complete" });
  });
});
