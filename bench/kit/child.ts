/**
 * Runs one child of a kit suite: the sampled interleavings go to a temporary file (one
 * replay string per line, parsed back in the child), the child runs under plain node with
 * the kit from dist/, and its result message becomes the run's metrics and notes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatInterleaving } from "../../src/interleaving/format.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import type { ChildPool } from "../rig/child.js";

/** What a kit child reported, or why it reported nothing. */
export type KitChildResult =
  | { readonly kind: "result"; readonly metrics: Readonly<Record<string, number>>; readonly notes: Readonly<Record<string, string>> }
  | { readonly kind: "failed"; readonly reason: string };

/** One child to run. */
export interface KitChildSpec {
  /** absolute path of a `.mjs` entry under bench/kit/ */
  readonly script: string;
  readonly samples: readonly Interleaving[];
  /** the child's configuration; `samplesFile` is added */
  readonly config: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
}

/** Runs `spec` through `pool`; the samples file is removed afterwards. */
export async function runKitChild(pool: ChildPool, spec: KitChildSpec): Promise<KitChildResult> {
  const dir = mkdtempSync(join(tmpdir(), "zi-kit-"));
  try {
    const samplesFile = join(dir, "samples.txt");
    writeFileSync(samplesFile, spec.samples.map((x) => `${formatInterleaving(x)}\n`).join(""));
    const outcome = await pool.run({ script: spec.script, args: [JSON.stringify({ ...spec.config, samplesFile })], timeoutMs: spec.timeoutMs });
    if (outcome.kind === "killed") return { kind: "failed", reason: `child killed after ${outcome.limitMs} ms` };
    const result = outcome.messages.find((m) => m.kind === "result");
    if (result === undefined || result.kind !== "result") {
      return { kind: "failed", reason: `child exited ${outcome.code ?? outcome.signal} without a result: ${lastLines(outcome.stderr)}` };
    }
    const error = result.notes["error"];
    if (error !== undefined) return { kind: "failed", reason: error };
    if (outcome.code !== 0) return { kind: "failed", reason: `child exited ${outcome.code ?? outcome.signal} after its result: ${lastLines(outcome.stderr)}` };
    return { kind: "result", metrics: result.metrics, notes: result.notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastLines(stderr: string): string {
  return stderr.trim().split("\n").slice(-3).join(" | ");
}
