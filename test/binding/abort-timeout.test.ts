import { setInterval as beats, setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";

// `AbortSignal.timeout(ms)` on the real event loop: a timer like `setTimeout(…, ms)`, in the
// same list (docs/binding-timing.md, R23), so among timers of its delay started in one block it
// fires in the order it was started, and its signal aborts with a TimeoutError. The virtual
// clock gives it the same place (test/instrument/clock.test.ts).

describe("AbortSignal.timeout is a timer of the event loop's lists", () => {
  it("between two 5 ms timeouts started around it, every trial; its reason is a TimeoutError", async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const order = await new Promise<string>((resolve) => {
        const seen: string[] = [];
        setTimeout(() => seen.push("before"), 5);
        const signal = AbortSignal.timeout(5);
        signal.addEventListener("abort", () => seen.push(`abort ${(signal.reason as Error).name}`));
        setTimeout(() => seen.push("after"), 5);
        setTimeout(() => resolve(seen.join(", ")), 12);
      });
      counts[order] = (counts[order] ?? 0) + 1;
    }
    expect(counts).toEqual({ "before, abort TimeoutError, after": 200 });
  });

  it("a timers/promises sleep or interval whose signal aborts rejects with an AbortError (ABORT_ERR) whose cause is the signal's reason", async () => {
    await expect(sleep(1_000, undefined, { signal: AbortSignal.timeout(5) })).rejects.toMatchObject({ name: "AbortError", code: "ABORT_ERR", cause: { name: "TimeoutError" } });
    const controller = new AbortController();
    const shutdown = new Error("shutdown");
    const slept = sleep(1_000, undefined, { signal: controller.signal });
    controller.abort(shutdown);
    await expect(slept).rejects.toMatchObject({ name: "AbortError", code: "ABORT_ERR", cause: shutdown });
    const ticking = new AbortController();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const _ of beats(2, undefined, { signal: ticking.signal })) {
        seen.push("beat");
        if (seen.length === 2) ticking.abort(shutdown);
      }
    })();
    await expect(loop).rejects.toMatchObject({ name: "AbortError", code: "ABORT_ERR", cause: shutdown });
    expect(seen).toEqual(["beat", "beat"]);
  });
});
