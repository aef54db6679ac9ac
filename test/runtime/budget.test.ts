import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { descriptorNeeds, processCosts, workerThreadsOf } from "../../src/runtime/descriptors.js";
import { runInterleaving } from "../../src/runtime/executor.js";

// With `ulimit -n 64`, tcp interleavings of up to 8 links with 4 peers each used to make libzmq
// abort the process ("Too many open files", exit status 134). Under the budget, a run that
// cannot fit anywhere is refused with a DescriptorBudgetError, one that may fit runs in a child
// process (where running out becomes a verdict), and the process goes on and exits 0.

const driver = fileURLToPath(new URL("./child/budget-driver.ts", import.meta.url));
const LIMIT = 64;

interface Line {
  readonly i: number;
  readonly outcome: "here" | "isolated" | "error";
  readonly verdict?: string;
  readonly code?: string | null;
  readonly message: string;
  readonly ending?: string | null;
}

/** Generated tcp interleavings needing at least `min` and at most `max` descriptors (from source). */
function pick(count: number, min: number, max: number, seed: number): Interleaving[] {
  const costs = processCosts(true);
  const all = fc.sample(interleavings({ transport: "tcp", maxLinks: 8, maxPeers: 4, threads: 2, executable: true }), { numRuns: 400, seed });
  return all.filter((x) => {
    const n = descriptorNeeds(x, workerThreadsOf(x), costs.workerThread).total;
    return n >= min && n <= max;
  }).slice(0, count);
}

function runDriver(file: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  // `ulimit -n` in the shell lowers both limits; node starts with them (it raises the soft limit to the hard one).
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", `ulimit -n ${LIMIT} && exec "$0" --import tsx "$1" "$2"`, process.execPath, driver, file], { timeout: 120_000 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: unknown; signal?: string | null }) | null;
      resolve({ code: e === null ? 0 : typeof e.code === "number" ? e.code : null, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

describe.runIf(process.platform !== "win32")(`with the descriptor limit lowered to ${LIMIT}`, () => {
  // Beyond what a fresh process has under the limit: refused. Beyond what the driver has free
  // (its own imports hold about 27: 37 free, less the margin) but within a fresh process (34): isolated.
  const beyond = pick(5, 48, 200, 21);
  const between = pick(4, 28, 34, 22);

  it("every run that needs more ends in the typed error or runs isolated to a verdict; the process exits 0, never 134", async () => {
    expect(beyond).toHaveLength(5);
    expect(between).toHaveLength(4);
    const dir = mkdtempSync(join(tmpdir(), "zi-budget-"));
    try {
      const file = join(dir, "xs.txt");
      writeFileSync(file, [...beyond, ...between].map((x) => `${formatInterleaving(x)}\n`).join(""));
      const r = await runDriver(file);
      const lines = r.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Line);
      for (const l of lines) console.log(`run ${l.i}: ${l.outcome}${l.verdict === undefined ? "" : ` ${l.verdict}`}${l.code === undefined ? "" : ` ${l.code}`}: ${l.message.slice(0, 160)}`);
      expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 0, signal: null });
      expect(lines).toHaveLength(beyond.length + between.length);
      for (const l of lines) {
        if (l.outcome === "error") expect(l).toMatchObject({ code: "DESCRIPTOR_BUDGET" });
        else {
          expect(l.outcome).toBe("isolated");
          expect(l.verdict).not.toBe("diverged");
        }
      }
      // Those that cannot fit anywhere are refused, with how many they need and what to do.
      for (const l of lines.slice(0, beyond.length)) {
        expect(l.code).toBe("DESCRIPTOR_BUDGET");
        expect(l.message).toMatch(/needs about \d+ file descriptors .* but only \d+ of the process's 64 are free/);
        expect(l.message).toContain("ulimit -n");
      }
      expect(lines.slice(beyond.length).some((l) => l.outcome === "isolated")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("the same interleavings run normally at the default limit, in this process", async () => {
    for (const x of [...beyond, ...between]) {
      const r = await runInterleaving(x);
      expect(r.process).toBeNull();
      expect(["ok", "stuck", "exit-hang", "violation"]).toContain(r.verdict.kind);
    }
  }, 120_000);
});
