import * as zmq from "zeromq";
import { it, vi } from "vitest";
import { checkInterleaves } from "../../src/instrument/check.js";
import { corpus } from "./index.js";
vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));
it("probe", async () => {
  for (const p of corpus.filter((x) => x.name.startsWith("config"))) {
    for (const agg of [false, true]) {
      const t0 = performance.now();
      const r = await checkInterleaves(async () => { p.check?.(await p.run()); }, { zmq, runs: 200, seed: 7, ...(agg ? { preemptionRate: 1, maxChoice: 10 } : {}) });
      console.log(`== ${p.name} agg=${agg} ${(performance.now() - t0).toFixed(0)} ms: ${r.kind}${r.kind === "failed" ? " " + r.label + "\n" + r.text : ""}`);
    }
  }
}, 600_000);
