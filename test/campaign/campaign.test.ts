import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { campaignInterleaving, runCampaign } from "../../src/campaign/campaign.js";
import { mergeCoverage, readCoverage } from "../../src/campaign/coverage.js";
import { parseShard, runSeed, shardRange } from "../../src/campaign/shard.js";
import { campaignMain, parseCampaignArgs } from "../../src/cli/campaign.js";

const dir = mkdtempSync(join(tmpdir(), "zi-campaign-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collect() {
  let out = "";
  let err = "";
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, out: () => out, err: () => err };
}

describe("campaign shards", () => {
  it("split the runs into contiguous near-equal ranges that cover them once", () => {
    const ranges = [1, 2, 3].map((index) => shardRange(100, { index, count: 3 }));
    expect(ranges).toEqual([
      { from: 0, to: 33 },
      { from: 33, to: 66 },
      { from: 66, to: 100 },
    ]);
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    expect(() => parseShard("9/8")).toThrow(/INDEX\/COUNT/);
    expect(runSeed(1, 5)).toBe(runSeed(1, 5));
    expect(runSeed(1, 5)).not.toBe(runSeed(1, 6));
  });

  it("sum to the whole campaign, and each run is reproducible alone", async () => {
    const constraints = { ownership: "any" } as const;
    const whole = await runCampaign({ runs: 300, seed: 9, constraints });
    const parts = await Promise.all([1, 2, 3].map((index) => runCampaign({ runs: 300, seed: 9, constraints, shard: { index, count: 3 } })));
    const merged = mergeCoverage(parts.map((p) => p.coverage));
    expect({ ...merged, sources: [] }).toEqual({ ...whole.coverage, sources: [] });
    expect(merged.sources).toHaveLength(3);
    const failure = parts[1]?.failures[0];
    if (failure !== undefined) expect(campaignInterleaving(constraints, 9, failure.run)).toBeDefined();
    expect(whole.failed).toBe(parts.reduce((n, p) => n + p.failed, 0));
  });
});

describe("npm run campaign", () => {
  it("runs shards that write JSON, and merges them", async () => {
    for (const index of [1, 2]) {
      const c = collect();
      expect(await campaignMain(["run", "--runs", "80", "--seed", "3", "--shard", `${index}/2`, "--ownership", "respect", "--out", join(dir, `s${index}.json`)], c.io)).toBe(0);
      expect(c.out()).toMatch(new RegExp(`^shard ${index}/2 of campaign seed 3 \\(80 runs\\)\\nruns: 40\\n`));
    }
    const c = collect();
    expect(await campaignMain(["merge", join(dir, "s1.json"), join(dir, "s2.json"), "--out", join(dir, "all.json")], c.io)).toBe(0);
    expect(readCoverage(JSON.parse(readFileSync(join(dir, "all.json"), "utf8"))).runs).toBe(80);
    expect(c.out()).toMatch(/^2 shard files merged\nruns: 80\n/);
  });

  it("says what is wrong with a command line or a file, with status 2 or 1", async () => {
    expect(() => parseCampaignArgs(["run", "--runs", "0", "--seed", "1"])).toThrow(/--runs/);
    expect(() => parseCampaignArgs(["run", "--runs", "5", "--seed", "1", "--shard", "3/2"])).toThrow(/INDEX\/COUNT/);
    expect(() => parseCampaignArgs(["sweep"])).toThrow(/unknown command/);
    const c = collect();
    expect(await campaignMain(["run", "--bogus", "1"], c.io)).toBe(2);
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ version: 7 }));
    const d = collect();
    expect(await campaignMain(["merge", join(dir, "bad.json")], d.io)).toBe(1);
    expect(d.err()).toMatch(/version 7/);
  });
});
