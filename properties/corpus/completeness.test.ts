import * as zmq from "zeromq";
import { describe, expect, it, vi } from "vitest";
import { runInterleaved } from "../../src/instrument/run.js";
import { completionOrder, steer } from "./guided.js";
import { corpus, corpusProgram, type CorpusProgram } from "./index.js";

vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));

/**
 * Completeness on the corpus: the order of completions a correct program shows on the real
 * binding (observed runs: real timing, real timers, nothing held) is one the kit produces. For
 * each observed run the kit runs the program again (virtual time, held completions) steered
 * toward the observed order (guided.ts), up to ATTEMPTS times, and must show that very order.
 *
 * Left out (bench/README.md, "User code", has the latest figures: 40 observed runs, up to 45
 * steered kit runs each; push-pull 98%, lb-broker 98%, heartbeat 95%, majordomo 88%, pub-sub
 * 90%, xsub-forwarder 93%, and proxy 100% at fad63a1), with what earlier rounds measured for
 * them, for orders the binding decides by its own timing at points where the kit asks no
 * choice: push-pull (which worker's connection the ventilator's load balancing hands each
 * task); pub-sub (how many sync probes go before the subscription arrives, a subscription
 * landing inside the publisher's turn, or later than the kit waits for); kernel-client (97-100%:
 * a kernel_info probe over tcp slower than the 5 ms probe timer); proxy (95-100%: which REP
 * worker the proxy's DEALER hands a request); heartbeat (a broker's receive or a worker's job
 * held by the loaded real loop for longer than a beat, interval drift beyond two latencies);
 * majordomo (the broker ROUTER's fair queueing over messages arriving over tcp, and sleeps
 * ending more than `latencyMs` apart from where virtual time puts them); lb-broker (its two
 * loops' receives over tcp, raced by the network); and programs with workers (their threads'
 * timing).
 * ZI_COMPLETENESS_RAW (default 5) sets the observed runs per program.
 */
const RAW = Number(process.env["ZI_COMPLETENESS_RAW"] ?? 5);
const ATTEMPTS = 5;
const LEFT_OUT = ["push-pull", "pub-sub", "proxy", "heartbeat", "kernel-client", "majordomo", "lb-broker", "xsub-forwarder"];

const program = (p: CorpusProgram) => async (): Promise<void> => {
  p.check?.(await p.run());
};

/** Observed runs of `p`, and how many of them a steered kit run reproduced. */
async function replayObserved(p: CorpusProgram, runs: number, latencyMs?: number): Promise<{ reproduced: number; choices: number }> {
  let reproduced = 0;
  let choices = 0;
  for (let i = 0; i < runs; i++) {
    const observed = await runInterleaved(program(p), { zmq, observe: true, timeLimitMs: 20_000 });
    expect(observed.label).toBe("ok");
    const want = completionOrder(observed.history);
    expect(want.length).toBeGreaterThan(4);
    const steered = await steer(zmq, want, ATTEMPTS, async (selector) => {
      const kit = await runInterleaved(program(p), { zmq, selector, timeLimitMs: 20_000, ...(latencyMs === undefined ? {} : { latencyMs }) });
      expect(kit.label).toBe("ok");
      return kit;
    });
    choices += steered.choices;
    if (steered.reproduced) reproduced++;
  }
  return { reproduced, choices };
}

const programs = corpus.filter((p) => p.kind === "correct" && !p.uses.includes("workers") && !LEFT_OUT.includes(p.name));

describe("completeness: the kit reproduces the order of completions of observed runs", () => {
  it("covers every correct single-thread program of the corpus but those left out", () => {
    expect(programs.map((p) => p.name)).toEqual(["queue", "req-rep", "request-map", "graceful-shutdown", "lazy-pirate", "xpub-poller"]);
  });

  for (const p of programs) {
    it(p.name, async () => {
      expect(await replayObserved(p, RAW)).toMatchObject({ reproduced: RAW });
    }, 120_000);
  }

  // R13 is needed: majordomo's sleeps end among tcp completions. (Heartbeat, the evidence before
  // R24, now gets its co-due timers' order from R24 and its drift from the lateness points.)
  it("needs timers to overtake held completions (R13): with latencyMs 0, majordomo's observed orders are not reproduced", async () => {
    const strict = await replayObserved(corpusProgram("majordomo"), 5, 0);
    const kept = await replayObserved(corpusProgram("majordomo"), 5);
    expect([strict.reproduced, kept.reproduced > 0]).toEqual([0, true]);
  }, 120_000);
});
