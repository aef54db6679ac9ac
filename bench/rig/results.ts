/**
 * The results file (bench/results/latest.json): every suite's cases with their raw runs
 * and summaries, and the machine they ran on. A run of one suite replaces that suite's
 * entry and keeps the others, so suites added later (kit-*) land in the same file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BenchError } from "./errors.js";
import type { CaseSummary, RoundRun } from "./aggregate.js";
import type { Machine } from "./machine.js";
import type { Profile } from "./suite.js";

/** One case: its dimensions, every run, and the summary of the runs. */
export interface CaseResult {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly runs: readonly RoundRun[];
  readonly summary: CaseSummary;
}

/** One suite's results from one invocation. */
export interface SuiteResults {
  readonly name: string;
  readonly title: string;
  readonly profile: Profile;
  readonly rounds: number;
  /** ISO time the suite finished */
  readonly finishedAt: string;
  /** wall time spent in this suite's runs */
  readonly durationMs: number;
  readonly machine: Machine;
  readonly cases: readonly CaseResult[];
}

/** The whole file. */
export interface ResultsFile {
  readonly schema: 1;
  readonly updatedAt: string;
  readonly suites: Readonly<Record<string, SuiteResults>>;
}

/** Reads a results file; `undefined` if there is none. */
export function readResults(path: string): ResultsFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const value = JSON.parse(text) as Partial<ResultsFile>;
  if (value.schema !== 1 || typeof value.suites !== "object" || value.suites === null) {
    throw new BenchError("BAD_RESULTS", `${path} is not a results file of schema 1; move it away and rerun`);
  }
  return value as ResultsFile;
}

/** `base` with the given suites' entries replaced (or added). */
export function mergeResults(base: ResultsFile | undefined, suites: readonly SuiteResults[], now: Date): ResultsFile {
  const merged: Record<string, SuiteResults> = { ...(base?.suites ?? {}) };
  for (const s of suites) merged[s.name] = s;
  return { schema: 1, updatedAt: now.toISOString(), suites: merged };
}

/** Writes `file` atomically (temp file + rename), creating the directory. */
export function writeResults(path: string, file: ResultsFile): void {
  writeAtomically(path, `${JSON.stringify(file, null, 1)}\n`);
}

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.partial`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
