import * as zmq from "zeromq";
import { describe, expect, it, vi } from "vitest";
import { checkInterleaves, itInterleaves, runInterleaved, type InterleavedContext } from "zmq-interleave/vitest";
import { BuggyTicker } from "../src/ticker-buggy.js";
import { Ticker } from "../src/ticker.js";

// Every `zeromq` import (ours and the service's) gets the kit's instrumented module:
// sockets come guarded and the order their operations complete in is explored.
// (vi.mock is hoisted above the imports, so the factory imports what it needs itself.)
vi.mock("zeromq", async (importOriginal) => {
  const { instrument } = await import("zmq-interleave/vitest");
  return instrument(await importOriginal());
});

let runs = 0;

/** A subscriber joins while the ticker publishes three prices from another task; then everything stops. */
async function tickerScenario({ zmq: z, task }: InterleavedContext, make: () => Ticker | BuggyTicker): Promise<void> {
  const endpoint = `inproc://ticker-${++runs}`;
  const ticker = make();
  await ticker.start(endpoint);
  const sub = new z.Subscriber({ linger: 0 });
  sub.connect(endpoint);
  const publishing = task("publisher", async () => {
    for (const price of ["10", "11", "12"]) await ticker.publish("ACME", price);
  });
  const reading = task("reader", async () => {
    sub.subscribe("ACME");
    const [, price] = await sub.receive();
    expect(["10", "11", "12"]).toContain(String(price));
  });
  await Promise.all([publishing, reading]);
  await ticker.stop();
  sub.close();
}

describe("ticker (checked with zmq-interleave)", () => {
  itInterleaves("publishes and answers subscriptions without overlapping sends", (c) => tickerScenario(c, () => new Ticker()), { zmq, runs: 25 });

  it("one run respects single ownership (matcher)", async () => {
    const report = await runInterleaved((c) => tickerScenario(c, () => new Ticker()), { zmq });
    expect(report).toRespectSingleOwner();
  });

  it("catches the buggy ticker, with a shrunk timeline", async () => {
    const result = await checkInterleaves((c) => tickerScenario(c, () => new BuggyTicker()), { zmq, runs: 60 });
    console.log(result.kind === "failed" ? result.text : "the bug was not found");
    expect(result.kind).toBe("failed");
    if (result.kind !== "failed") return;
    expect(result.label).toBe("busy-send");
    // The report wraps its sentences at 100 columns: compare with the line breaks taken out.
    expect(result.text.replace(/\s+/g, " ")).toContain('zeromq.js throws EBUSY "Socket is busy writing"');
    expect(result.text).toMatch(/replay: .*verdict=busy-send schedule=\[/);
  });
});
