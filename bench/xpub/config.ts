/**
 * One XPUB throughput configuration, as the parent hands it to a child process (JSON on
 * the command line) and as results are labelled.
 */
import { BenchError } from "../rig/errors.js";
import { patterns } from "./patterns.js";
import type { Transport } from "../rig/sockets.js";
import type { PatternId } from "./patterns.js";
import type { TaskTiming } from "../rig/suite.js";

export type { TaskTiming };

/** What one child measures: every pattern on one message size, transport and fanout. */
export interface XpubConfig {
  /** message size in bytes */
  readonly size: number;
  readonly transport: Transport;
  readonly subscribers: number;
  /** whether subscribers subscribe and unsubscribe extra topics during the run */
  readonly churn: boolean;
  /** messages published (and awaited at every subscriber) per measured iteration */
  readonly batch: number;
  readonly timing: TaskTiming;
  /** the order tasks are added to the bench in this run (rotated from run to run) */
  readonly order: readonly PatternId[];
}

/** Data frames between two subscription toggles of one subscriber when churn is on. */
export const churnEvery = 64;

/** A stable id for the configuration (without timing and order). */
export function xpubCaseId(config: Pick<XpubConfig, "size" | "transport" | "subscribers" | "churn">): string {
  return `${config.transport}/${config.subscribers}sub/${sizeLabel(config.size)}/${config.churn ? "churn" : "steady"}`;
}

/** "16 B", "256 B", "4 KiB". */
export function sizeLabel(size: number): string {
  return size >= 1024 && size % 1024 === 0 ? `${size / 1024} KiB` : `${size} B`;
}

/** Parses and checks a configuration passed on the command line. */
export function parseXpubConfig(text: string | undefined): XpubConfig {
  if (text === undefined) throw new BenchError("BAD_ARGS", "expected the configuration as JSON in argv[2]");
  const value = JSON.parse(text) as Partial<XpubConfig>;
  const ids = new Set<string>(patterns.map((p) => p.id));
  const ok =
    Number.isInteger(value.size) && (value.size ?? 0) >= 1 &&
    (value.transport === "inproc" || value.transport === "tcp") &&
    Number.isInteger(value.subscribers) && (value.subscribers ?? 0) >= 1 &&
    typeof value.churn === "boolean" &&
    Number.isInteger(value.batch) && (value.batch ?? 0) >= 1 &&
    typeof value.timing === "object" && value.timing !== null &&
    Array.isArray(value.order) && value.order.length > 0 && value.order.every((id) => ids.has(id));
  if (!ok) throw new BenchError("BAD_ARGS", `not an XPUB configuration: ${text}`);
  return value as XpubConfig;
}
