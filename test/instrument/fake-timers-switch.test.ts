import timers from "node:timers";
import timersPromises from "node:timers/promises";
import { performance as hooksPerformance } from "node:perf_hooks";
import * as zmq from "zeromq";
import { describe, expect, it, vi } from "vitest";
import { FakeTimersSwitch } from "../../src/instrument/fake-timers-switch.js";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";

/** Every own property of the objects fake-timers patches, with its descriptor, and what the faked globals are (an accessor keeps its descriptor when set). */
function snapshot(): unknown[] {
  const faked = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"].map((k) => Reflect.get(globalThis, k) as unknown);
  return [faked, process.hrtime, process.hrtime.bigint, ...[globalThis, timers, timersPromises, hooksPerformance].map((o) => new Map(Reflect.ownKeys(o).map((k) => [String(k), Object.getOwnPropertyDescriptor(o, k)])))];
}

describe("fake-timers switched on and off (fake-timers-switch.ts)", () => {
  it("off, every property is as it was before the first on, after each of several runs", () => {
    const before = snapshot();
    const timersSwitch = new FakeTimersSwitch();
    for (let i = 0; i < 3; i++) {
      timersSwitch.on(Date.now());
      expect((globalThis.setTimeout as { clock?: unknown }).clock).toBeDefined();
      expect(snapshot()).not.toEqual(before);
      timersSwitch.off();
      expect(snapshot()).toEqual(before);
    }
  });

  it("on again, the clock starts afresh: the time given, performance.now() from 0, no timer of the last run", () => {
    const timersSwitch = new FakeTimersSwitch();
    const first = timersSwitch.on(1_000_000);
    let fired = 0;
    setTimeout(() => fired++, 10);
    first.tick(5);
    const fakeSetTimeout = globalThis.setTimeout;
    timersSwitch.off();
    try {
      const second = timersSwitch.on(2_000_000);
      expect(second).toBe(first);
      expect(globalThis.setTimeout).toBe(fakeSetTimeout);
      expect(Date.now()).toBe(2_000_000);
      expect(performance.now()).toBe(0);
      expect(performance.timeOrigin).toBe(2_000_000);
      second.tick(100);
      expect(fired).toBe(0);
      setTimeout(() => fired++, 10);
      second.tick(10);
      expect(fired).toBe(1);
    } finally {
      timersSwitch.off();
    }
  });

  it("a property changed while off (the test's own patch) makes the next on install anew, and off puts the change back", () => {
    const timersSwitch = new FakeTimersSwitch();
    const first = timersSwitch.on(Date.now());
    timersSwitch.off();
    const real = globalThis.setTimeout;
    const patched = ((...args: Parameters<typeof setTimeout>) => real(...args)) as typeof setTimeout;
    globalThis.setTimeout = patched;
    try {
      const second = timersSwitch.on(Date.now());
      expect(second).not.toBe(first);
      expect(globalThis.setTimeout).not.toBe(patched);
      timersSwitch.off();
      expect(globalThis.setTimeout).toBe(patched);
    } finally {
      globalThis.setTimeout = real;
    }
  });

  it("a `timers/promises` sleep with a signal stops listening to it when switched off", async () => {
    const timersSwitch = new FakeTimersSwitch();
    timersSwitch.on(Date.now());
    const controller = new AbortController();
    const sleep = timersPromises.setTimeout(1_000, "late", { signal: controller.signal });
    timersSwitch.off();
    // Aborting after the switch is off rejects nothing: the listener is gone (the sleep never settles, as with fake-timers' uninstall).
    controller.abort();
    const outcome = await Promise.race([sleep.then(() => "settled", () => "rejected"), new Promise((r) => setImmediate(() => r("pending")))]);
    expect(outcome).toBe("pending");
  });

  it("runs of one module keep virtual time around the test's own fake timers, and real timers are back after each", async () => {
    const z = instrument(zmq);
    // Node makes its lazy globals plain values when first read; a run reads AbortSignal (its
    // `timeout` goes virtual), so it is read before the snapshot, as any program would.
    void AbortSignal.timeout;
    const before = snapshot();
    const sleepOneMinute = async (): Promise<void> => {
      const t0 = Date.now();
      await timersPromises.setTimeout(60_000);
      expect(Date.now() - t0).toBe(60_000);
    };
    expect((await runInterleaved(sleepOneMinute, { zmq: z })).label).toBe("ok");
    expect(snapshot()).toEqual(before);
    vi.useFakeTimers();
    vi.useRealTimers();
    expect((await runInterleaved(sleepOneMinute, { zmq: z })).label).toBe("ok");
    expect((await runInterleaved(sleepOneMinute, { zmq: z })).label).toBe("ok");
    expect(snapshot()).toEqual(before);
  });
});
