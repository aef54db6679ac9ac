import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { checkInterleaves } from "../../src/instrument/check.js";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";

const z = instrument(zmq);

/**
 * A receive with a 100 ms `receiveTimeout` and a 200 ms sleep started with it. On the real loop
 * the receive times out first (zeromq.js's own timer, in real time); on virtual time the sleep
 * would end first, in no real time, an order the binding never gives.
 */
async function timedReceive(seen: string[], set: "option" | "property", ms: number): Promise<void> {
  const pull = set === "option" ? new z.Pull({ receiveTimeout: ms }) : new z.Pull();
  if (set === "property") pull.receiveTimeout = ms;
  await pull.bind(`inproc://timeout-options-${randomUUID()}`);
  const slept = sleep(200).then(() => seen.push("slept"));
  try {
    await pull.receive();
    seen.push("message");
  } catch (err) {
    seen.push(`receive ${(err as { code?: string }).code ?? String(err)}`);
  }
  await slept;
  pull.close();
}

describe("socket timeouts on virtual time (zeromq.js times them out in real time)", () => {
  for (const set of ["option", "property"] as const) {
    it(`a receiveTimeout given as ${set === "option" ? "a constructor option" : "a property"}: the run is unknown, naming the socket, the option and what to do`, async () => {
      const report = await runInterleaved(() => timedReceive([], set, 100), { zmq: z });
      expect(report.label).toBe("unknown");
      expect(report.verdict.kind === "unknown" && report.verdict.reason).toBe("real-time socket timeout");
      const text = report.text.replace(/\s+/g, " ");
      expect(text).toContain("pull1 has receiveTimeout 100");
      expect(text).toContain("Run with `virtualTime: false`");
    });
  }

  it("with virtualTime: false the run passes, in the real order: the receive times out before the longer sleep", async () => {
    const seen: string[] = [];
    const report = await runInterleaved(() => timedReceive(seen, "option", 100), { zmq: z, virtualTime: false });
    expect(report.label).toBe("ok");
    expect(seen).toEqual(["receive EAGAIN", "slept"]);
  });

  it("receiveTimeout 0 and -1 (no real-time timer) and a sendTimeout of -1 are fine on virtual time", async () => {
    const report = await runInterleaved(
      async () => {
        const dealer = new z.Dealer({ receiveTimeout: 0, sendTimeout: -1 });
        dealer.receiveTimeout = -1;
        await dealer.bind(`inproc://timeout-options-${randomUUID()}`);
        dealer.close();
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
  });

  it("a sendTimeout set in a search: checkInterleaves does not pass it, and says why", async () => {
    const result = await checkInterleaves(
      async () => {
        const push = new z.Push();
        push.sendTimeout = 50;
        await push.bind(`inproc://timeout-options-${randomUUID()}`);
        push.close();
      },
      { zmq: z, runs: 3, seed: 1 },
    );
    expect(result.kind).toBe("failed");
    expect(result.kind === "failed" && result.label).toBe("unknown");
    expect(result.kind === "failed" && result.text.replace(/\s+/g, " ")).toContain("push1 has sendTimeout 50");
  });
});
