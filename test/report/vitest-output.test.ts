import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseReplay } from "../../src/report/replayLine.js";
import { replay } from "../../src/report/replay.js";
import { squash } from "./fixtures.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface JsonReport {
  readonly testResults: readonly { readonly assertionResults: readonly { readonly status: string; readonly failureMessages: readonly string[] }[] }[];
}

describe("a failing @fast-check/vitest property in a child vitest run", () => {
  it("reports its counterexample as the timeline, the rule, the sentence and the replay line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zi-vitest-"));
    try {
      const out = join(dir, "report.json");
      const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
      const args = [vitest, "run", "--config", "test/report/child/vitest.config.ts", "--reporter=json", `--outputFile=${out}`];
      // The child property fails on purpose, so vitest exits non-zero; the JSON report is what counts.
      await promisify(execFile)(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: "1", ZI_SEED: "" }, timeout: 120_000 }).catch(() => undefined);
      const report = JSON.parse(await readFile(out, "utf8")) as JsonReport;
      const results = report.testResults.flatMap((f) => f.assertionResults);
      expect(results.map((r) => r.status)).toEqual(["failed"]);
      const message = results[0]?.failureMessages.join("\n") ?? "";
      // Which rule the shrunk counterexample breaks depends on the generator; read it from the replay line.
      const line = message.split("\n").find((l) => l.startsWith("replay: ")) ?? "";
      const rule = parseReplay(line).verdict ?? "";
      const again = await replay(line);
      expect(again.kind).toBe("reproduced");
      const verdict = again.kind === "reproduced" ? again.verdict : null;
      expect(verdict?.kind).toBe("violation");
      if (verdict?.kind !== "violation") return;
      expect(rule).toBe(verdict.rule);
      expect(message).toContain("Counterexample: [\nscenario: ownership by ");
      expect(message).toMatch(/\nstep {2}main\/t0 {2}/);
      expect(message).toMatch(/\n────  ─+/);
      expect(message).toContain(`✗ ${rule}: `);
      expect(message).toContain(`✗ ${rule} at step ${verdict.step} by `);
      expect(squash(message)).toContain(squash(verdict.message));
      expect(message).toContain(`${line}\n]`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
