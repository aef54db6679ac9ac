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
import type { ChildOutcome, ChildPool } from "../rig/child.js";

/**
 * How a child ended after it reported its result. The measurements stand either way (they
 * were taken before); an ending other than `clean` is a finding about the kit, reported.
 */
export type ChildEnding =
  | { readonly kind: "clean" }
  /** still running `exitGraceMs` after its result: killed */
  | { readonly kind: "hang"; readonly detail: string }
  /** exited non-zero or by a signal after its result (134: abort) */
  | { readonly kind: "crash"; readonly detail: string };

/** What a kit child reported, or why it reported nothing. */
export type KitChildResult =
  | {
      readonly kind: "result";
      readonly metrics: Readonly<Record<string, number>>;
      readonly notes: Readonly<Record<string, string>>;
      readonly ending: ChildEnding;
    }
  | { readonly kind: "failed"; readonly reason: string };

/**
 * A run's outcome from what it measured (`base`) and how its process ended: "ok",
 * "process-hang", "diverged+process-crash" (not "exit-hang", which is a verdict kind).
 */
export function withEnding(base: string, ending: ChildEnding): string {
  if (ending.kind === "clean") return base;
  return base === "ok" ? `process-${ending.kind}` : `${base}+process-${ending.kind}`;
}

/** The notes that record a child's ending (none when clean), with the suite's explanation if it has one. */
export function endingNotes(ending: ChildEnding, explanation?: string): Record<string, string> {
  if (ending.kind === "clean") return {};
  return { exit: `${ending.kind}: ${ending.detail}${explanation === undefined ? "" : ` (${explanation})`}` };
}

/** A child still running this long after its result is hung at exit (its work was done; closing the pool and exiting take well under a second). */
export const exitGraceMs = 5_000;

/** One child to run. */
export interface KitChildSpec {
  /** absolute path of a `.mjs` entry under bench/kit/ */
  readonly script: string;
  readonly samples: readonly Interleaving[];
  /** the child's configuration; `samplesFile` is added */
  readonly config: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  /**
   * If the child says which sample it starts (`running` value messages), the longest one run
   * may take: past it the child is killed and the run failed, naming the sample.
   */
  readonly runLimitMs?: number;
}

/** Runs `spec` through `pool`; the samples file is removed afterwards. */
export async function runKitChild(pool: ChildPool, spec: KitChildSpec): Promise<KitChildResult> {
  const dir = mkdtempSync(join(tmpdir(), "zi-kit-"));
  try {
    const samplesFile = join(dir, "samples.txt");
    writeFileSync(samplesFile, spec.samples.map((x) => `${formatInterleaving(x)}\n`).join(""));
    const outcome = await pool.run({
      script: spec.script,
      args: [JSON.stringify({ ...spec.config, samplesFile })],
      timeoutMs: spec.timeoutMs,
      onMessage: (message, control) => {
        if (message.kind === "result") control.setDeadline(exitGraceMs);
        else if (message.kind === "value" && message.name === "running" && spec.runLimitMs !== undefined) control.setDeadline(spec.runLimitMs);
      },
    });
    return readOutcome(outcome, (i) => {
      const x = spec.samples[i];
      return x === undefined ? undefined : formatInterleaving(x);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The result of a finished child: its result message, and how the process ended after it.
 * A child that died without one is a failed run; if it had said which sample it was running
 * (a `running` value message), the reason names the sample and gives its replay string.
 */
export function readOutcome(outcome: ChildOutcome, replayOf: (sample: number) => string | undefined = () => undefined): KitChildResult {
  const result = outcome.messages.find((m) => m.kind === "result");
  if (result === undefined || result.kind !== "result") {
    const running = outcome.messages.findLast((m) => m.kind === "value" && m.name === "running");
    const sample = running?.kind === "value" ? running.value : undefined;
    const how =
      outcome.kind === "exited"
        ? `exited ${outcome.code ?? outcome.signal}`
        : sample === undefined
          ? `was killed after ${outcome.limitMs} ms`
          : `was killed when the run of sample ${sample} had taken ${outcome.limitMs} ms`;
    const during = sample === undefined || outcome.kind === "killed" ? "" : ` while running sample ${sample}`;
    const replay = sample === undefined ? undefined : replayOf(sample);
    return {
      kind: "failed",
      reason: `child ${how}${during} without a result: ${lastLines(outcome.stderr) || "(no stderr)"}${replay === undefined ? "" : `; replay: ${replay}`}`,
    };
  }
  const error = result.notes["error"];
  if (error !== undefined) return { kind: "failed", reason: error };
  const ending: ChildEnding =
    outcome.kind === "killed"
      ? { kind: "hang", detail: `still running ${outcome.limitMs} ms after its result, killed; stderr: ${lastLines(outcome.stderr) || "(empty)"}` }
      : outcome.code === 0
        ? { kind: "clean" }
        : { kind: "crash", detail: `exited ${outcome.code ?? outcome.signal} after its result; stderr: ${lastLines(outcome.stderr) || "(empty)"}` };
  return { kind: "result", metrics: result.metrics, notes: result.notes, ending };
}

function lastLines(stderr: string): string {
  return stderr.trim().split("\n").slice(-3).join(" | ");
}
