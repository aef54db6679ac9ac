import * as zmq from "zeromq";
import { it, vi } from "vitest";
import { checkInterleaves } from "../../src/instrument/check.js";
import { corpus } from "./index.js";

vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));

it("probe", async () => {
  for (const p of corpus) {
    if (p.isolation !== "in-process") continue;
    const t0 = performance.now();
    const r = await checkInterleaves(async () => {
      const result = await p.run();
      p.check?.(result);
    }, { zmq, runs: 20, seed: 7, runTimeLimitMs: 20_000 });
    const ms = (performance.now() - t0).toFixed(0);
    console.log(`== ${p.name} (${p.kind}${p.expected ? ", expect " + p.expected : ""}) ${ms} ms: ${r.kind}${r.kind === "failed" ? " " + r.label + "\n" + r.text.split("\n").slice(0, 60).join("\n") : ""}`);
  }
}, 600_000);
