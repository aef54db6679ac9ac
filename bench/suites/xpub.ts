/**
 * Suite "xpub": how fast one owner can publish on an XPUB that also reads subscription
 * events (async pattern A, poller pattern B with a `readable` check every 1/16/64/256
 * sends), against a raw PUB ceiling (C). Every configuration runs in fresh processes,
 * all patterns in the same process so ratios pair them run by run.
 */
import { fileURLToPath } from "node:url";
import { measuredChild } from "../rig/measured.js";
import { rotate } from "../rig/schedule.js";
import { churnEvery, sizeLabel, xpubCaseId } from "../xpub/config.js";
import { patterns } from "../xpub/patterns.js";
import { headline, ratioTable, summaryTable, throughputPanels, throughputTable } from "../xpub/present.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite } from "../rig/suite.js";
import type { Transport } from "../rig/sockets.js";
import type { TaskTiming, XpubConfig } from "../xpub/config.js";

const childScript = fileURLToPath(new URL("../xpub/child.ts", import.meta.url));

interface Dimensions {
  readonly size: number;
  readonly transport: Transport;
  readonly subscribers: number;
  readonly churn: boolean;
}

const timings: Readonly<Record<Profile, TaskTiming>> = {
  full: { rounds: 8, timeMs: 60, iterations: 4, warmupMs: 100, warmupIterations: 4 },
  quick: { rounds: 3, timeMs: 40, iterations: 3, warmupMs: 40, warmupIterations: 2 },
};

function dimensions(profile: Profile): Dimensions[] {
  if (profile === "quick") {
    // every level of every dimension at least once
    return [
      { size: 16, transport: "inproc", subscribers: 1, churn: true },
      { size: 4096, transport: "inproc", subscribers: 4, churn: false },
      { size: 16, transport: "tcp", subscribers: 4, churn: true },
      { size: 4096, transport: "tcp", subscribers: 1, churn: false },
    ];
  }
  const all: Dimensions[] = [];
  for (const transport of ["inproc", "tcp"] as const) {
    for (const subscribers of [1, 4]) {
      for (const churn of [false, true]) {
        for (const size of [16, 256, 4096]) all.push({ size, transport, subscribers, churn });
      }
    }
  }
  return all;
}

function planCase(d: Dimensions, profile: Profile): PlannedCase {
  const timing = timings[profile];
  const batch = d.size > 1024 ? 1000 : 2000;
  // per task: opening and joining a topology, warm-up, then its budget in every round
  const perTask = 80 + timing.warmupMs + 1.3 * timing.rounds * timing.timeMs;
  return {
    id: xpubCaseId(d),
    labels: {
      transport: d.transport,
      subscribers: String(d.subscribers),
      size: sizeLabel(d.size),
      churn: d.churn ? `churn (toggle every ${churnEvery} msgs per sub)` : "steady",
    },
    estimateMs: 600 + patterns.length * perTask * (d.transport === "tcp" ? 1.2 : 1),
    run: (context) => runConfig({ ...d, batch, timing, order: rotate(patterns.map((p) => p.id), context.round) }, context),
  };
}

function runConfig(config: XpubConfig, context: RunContext): Promise<RunRecord> {
  return measuredChild(context.pool, childScript, config);
}

/** The XPUB patterns suite. */
export const suite: Suite = {
  name: "xpub",
  title: "XPUB publish + subscription events: async vs poller vs raw PUB",
  rounds: (profile) => (profile === "quick" ? 3 : 5),
  plan: (profile) => dimensions(profile).map((d) => planCase(d, profile)),
  ratios: [
    { name: "B/A", numerator: "B1", denominator: "A" },
    { name: "A/raw", numerator: "A", denominator: "C" },
    { name: "B/raw", numerator: "B1", denominator: "C" },
    { name: "B16/raw", numerator: "B16", denominator: "C" },
    { name: "B64/raw", numerator: "B64", denominator: "C" },
    { name: "B256/raw", numerator: "B256", denominator: "C" },
  ],
  present: (results) => ({
    panels: throughputPanels(results),
    markdown: [
      headline(results),
      summaryTable(results),
      `<details><summary>All ${results.cases.length} configurations: throughput and paired ratios</summary>`,
      throughputTable(results),
      ratioTable(results),
      "</details>",
    ].join("\n\n"),
  }),
};
