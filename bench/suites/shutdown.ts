/**
 * Suite "shutdown": for a PUB/SUB and an XPUB/SUB pair with messages queued, every order
 * of closing the sockets (and terminating the worker that owns one) x linger x pending
 * receive, each case in its own child process with a time limit: time to exit, messages
 * delivered vs lost, and whether the order hangs, aborts or crashes.
 */
import { fileURLToPath } from "node:url";
import { lingerLabel, ordersFor, orderLabel, pendingFor, shutdownCaseId } from "../shutdown/cases.js";
import { classifyShutdown } from "../shutdown/classify.js";
import { shutdownPanels, shutdownSummary, shutdownTable } from "../shutdown/present.js";
import { sizeLabel } from "../xpub/config.js";
import type { Pair, Pending, Placement, ShutdownCase } from "../shutdown/cases.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite } from "../rig/suite.js";

const childScript = fileURLToPath(new URL("../shutdown/child.ts", import.meta.url));

/** A case still running this long after its first step is a hang: it is killed, never waited out. */
const hangLimitMs = 1500;
const setupLimitMs = 20_000;
const messages = 10_000;
const size = 1024;
const quietMs = 25;

function cases(profile: Profile): ShutdownCase[] {
  const all: ShutdownCase[] = [];
  const pairs: readonly Pair[] = ["pub-sub", "xpub-sub"];
  const placements: readonly Placement[] = profile === "quick" ? ["main", "sub-in-worker"] : ["main", "sub-in-worker", "pub-in-worker"];
  const lingers = profile === "quick" ? [-1, 0] : [-1, 0, 200];
  for (const pair of pairs) {
    for (const placement of placements) {
      for (const order of ordersFor(placement)) {
        for (const pending of pendingFor(pair)) {
          // quick: XPUB only with its own reader pending, on the main thread
          if (profile === "quick" && pair === "xpub-sub" && (pending !== "xpub" || placement !== "main")) continue;
          for (const linger of lingers) all.push({ pair, placement, order, linger, pending, messages, size, quietMs });
        }
      }
    }
  }
  return all;
}

function planCase(c: ShutdownCase): PlannedCase {
  return {
    id: shutdownCaseId(c),
    labels: {
      pair: c.pair,
      placement: c.placement,
      order: orderLabel(c),
      linger: String(c.linger),
      lingerLabel: lingerLabel(c.linger),
      pending: c.pending satisfies Pending,
      messages: String(c.messages),
      size: sizeLabel(c.size),
      limit: `${hangLimitMs / 1000} s`,
    },
    estimateMs: 800 + (c.placement === "main" ? 0 : 200) + (c.linger === -1 || c.pending !== "none" ? 600 : 100),
    run: (context) => runCase(c, context),
  };
}

async function runCase(c: ShutdownCase, context: RunContext): Promise<RunRecord> {
  const outcome = await context.pool.run({
    script: childScript,
    args: [JSON.stringify(c)],
    timeoutMs: setupLimitMs,
    onMessage: (message, control) => {
      if (message.kind === "mark" && message.name === "shutdown") control.setDeadline(hangLimitMs);
    },
  });
  return classifyShutdown(outcome, c.messages);
}

/** The shutdown-ordering suite. */
export const suite: Suite = {
  name: "shutdown",
  title: "Shutdown ordering: close order x linger x pending receive, PUB/SUB and XPUB/SUB",
  rounds: (profile) => (profile === "quick" ? 1 : 5),
  plan: (profile) => cases(profile).map(planCase),
  ratios: [],
  present: (results) => ({
    panels: shutdownPanels(results),
    markdown: [
      shutdownSummary(results),
      shutdownTable(results, { pair: "pub-sub", placement: "main" }),
      `<details><summary>All ${results.cases.length} cases: PUB/SUB and XPUB/SUB, sockets on the main thread or owned by a worker</summary>`,
      shutdownTable(results),
      "</details>",
    ].join("\n\n"),
  }),
};
