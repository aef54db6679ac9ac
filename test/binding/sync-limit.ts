import { openDealers, openLink, untilReadable, withSockets, type Transport } from "./links.js";
import { bump, issue, Journal, nextTurn, outcomeOf, settlesWithin, sleep, watch, type Counts } from "./probe.js";

/**
 * Case 7: zeromq.js completes at most 512 consecutive ops of one socket at once; the next
 * one that could complete at once is deferred to the loop's check phase. Measured on a
 * joined DEALER pair (`a` the measured socket, `b` its peer), high-water marks far above
 * the message counts.
 */

/** Where a run of ops that could each complete at once first did not. */
export interface RunStop {
  /** 0-based index of the first op not at once (512: the 513th op), or -1 if none in `limit`. */
  readonly index: number;
  /** Why it was not at once: `deferred` (settled from the check phase without any peer action) or `waits`. */
  readonly why: "deferred" | "waits" | "none";
  /** How the deferred op resumed (`later`). */
  readonly outcome: string;
  /** Its continuation ran before a `setImmediate` queued just before it. */
  readonly beforeImmediate: boolean;
}

/** Everything case 7 measures on one pair. */
export interface SyncLimit {
  /** A run of sends after 300 sends and a receive that completed later from the event loop. */
  readonly afterLaterOp: RunStop;
  /** 300 sends, then loop turns and a sleep, then sends: index counted from the first send of the run. */
  readonly acrossTurns: RunStop;
  /** A run of sends right after a deferred op ran. */
  readonly sends: RunStop;
  /** A second send issued while the deferred send had not run yet: `threw:EBUSY`. */
  readonly sendWhileDeferred: string;
  /** A receive (message queued) issued while the deferred send had not run yet. */
  readonly receiveWhileDeferred: string;
  /** Which of those two resumed first. */
  readonly firstOfDeferredPair: string;
  /** Alternating receive / send (messages queued) right after deferred ops ran: one shared count or two. */
  readonly mixed: RunStop;
}

type Op = (i: number) => Promise<unknown>;

/** Issues `op(i)` for i = 0.. while each completes at once, up to `limit`; reports the first that did not. */
async function runUntilNotAtOnce(op: Op, limit: number): Promise<RunStop> {
  for (let i = 0; i < limit; i++) {
    const w = issue(new Journal(), "op", () => op(i));
    if (w.settledAtReturn) {
      const out = outcomeOf(true, await w.resumed);
      if (out !== "atOnce") throw new Error(`op ${i} ended ${out}`);
      continue;
    }
    if (!(await settlesWithin(w.promise, 5, 5))) return { index: i, why: "waits", outcome: "pending", beforeImmediate: false };
    const r = await w.resumed;
    return { index: i, why: "deferred", outcome: outcomeOf(false, r), beforeImmediate: !r.immediateRan };
  }
  return { index: -1, why: "none", outcome: "", beforeImmediate: false };
}

const LIMIT = 1100;

/** Case 7 on one fresh DEALER pair over `transport`. */
export async function measureSyncLimit(transport: Transport): Promise<SyncLimit> {
  return withSockets(async (bag) => {
    const { a, b } = await openDealers(bag, transport, { hwm: 100_000 });
    const send: Op = (i) => a.send(`s${i}`);

    // 300 sends, then a receive that waits and completes from the event loop: without a
    // reset the run after it would stop 300 ops early.
    for (let i = 0; i < 300; i++) await a.send(`w${i}`);
    const waiting = issue(new Journal(), "receive", () => a.receive());
    if (waiting.settledAtReturn) throw new Error("a stale message was queued");
    await nextTurn();
    await b.send("wake");
    await waiting.resumed;
    const afterLaterOp = await runUntilNotAtOnce(send, LIMIT);

    // Turns of the event loop alone.
    for (let i = 0; i < 300; i++) await a.send(`t${i}`);
    for (let i = 0; i < 5; i++) await nextTurn();
    await sleep(5);
    const rest = await runUntilNotAtOnce(send, LIMIT);
    const acrossTurns = { ...rest, index: rest.index < 0 ? -1 : rest.index + 300 };

    // Messages for a to receive later: all sent now, all arrived before they are needed.
    for (let i = 0; i < 600; i++) await b.send(`r${i}`);
    await untilReadable(a);
    await sleep(transport === "tcp" ? 20 : 0);

    // The run that ends deferred, and what a second op meets while the deferred one waits.
    const journal = new Journal();
    let deferred: ReturnType<typeof issue> | null = null;
    let index = -1;
    for (let i = 0; i < LIMIT && deferred === null; i++) {
      const w = issue(journal, `send${i}`, () => a.send(`d${i}`));
      if (w.settledAtReturn) await w.resumed;
      else {
        deferred = w;
        index = i;
      }
    }
    if (deferred === null) throw new Error("no send was deferred");
    const second = watch(journal, "second", () => a.send("second"));
    const receive = watch(journal, "receive", () => a.receive());
    const sendWhileDeferred = second.kind === "threw" ? `threw:${second.code}` : second.settledAtReturn ? "atOnce" : "pending";
    const receiveWhileDeferred = receive.kind === "threw" ? `threw:${receive.code}` : receive.settledAtReturn ? "atOnce" : "later";
    const dr = await deferred.resumed;
    const sends: RunStop = { index, why: "deferred", outcome: outcomeOf(false, dr), beforeImmediate: !dr.immediateRan };
    if (second.kind === "issued") await second.resumed;
    if (receive.kind === "issued") await receive.resumed;
    const firstOfDeferredPair = receive.kind === "issued" ? (journal.order.indexOf("receive") < journal.order.indexOf(`send${index}`) ? "receive" : "send") : "";

    // Alternating receive / send: a shared count stops at 512, two counts would not stop before 1024.
    const mixed = await runUntilNotAtOnce((i) => (i % 2 === 0 ? a.receive() : a.send(`x${i}`)), LIMIT);
    return { afterLaterOp, acrossTurns, sends, sendWhileDeferred, receiveWhileDeferred, firstOfDeferredPair, mixed };
  });
}

/**
 * Two sockets each reach the limit, then each issues one more send in one synchronous block
 * (both deferred). Counts `issueOrder` / `reverseIssueOrder` for the order their continuations
 * ran in, and `beforeImmediate` for continuations that ran before a `setImmediate` queued
 * just before the block.
 */
export async function deferredOnTwoSockets(transport: Transport, n = 20): Promise<Counts> {
  return withSockets(async (bag) => {
    const a = await openLink(bag, "push-pull", transport, { hwm: 1_000_000 });
    const b = await openLink(bag, "push-pull", transport, { hwm: 1_000_000 });
    const counts: Counts = { issueOrder: 0, reverseIssueOrder: 0, beforeImmediate: 0 };
    // A deferred op resets its socket's count to 0.
    for (const link of [a, b]) {
      const stop = await runUntilNotAtOnce((k) => link.send(`p${k}`), LIMIT);
      if (stop.why !== "deferred") throw new Error(`a run of sends ended ${stop.why}`);
    }
    for (let i = 0; i < n; i++) {
      // 512 sends each, then one more each in one block; the two deferred ops reset both counts.
      for (let k = 0; k < 512; k++) {
        await a.send(`q${k}`);
        await b.send(`q${k}`);
      }
      const journal = new Journal();
      const [first, second] = i % 2 === 0 ? ([a, b] as const) : ([b, a] as const);
      const wf = issue(journal, "first", () => first.send("last"));
      const ws = issue(journal, "second", () => second.send("last"));
      if (wf.settledAtReturn || ws.settledAtReturn) throw new Error("the 513th send completed at once");
      const seen = await Promise.all([wf.resumed, ws.resumed]);
      bump(counts, journal.order[0] === "first" ? "issueOrder" : "reverseIssueOrder");
      for (const r of seen) if (!r.immediateRan) bump(counts, "beforeImmediate");
    }
    return counts;
  });
}

/** `runs` runs of `measureSyncLimit`, as counts (e.g. `sends:deferredAt512: 5`, `secondSend:threw:EBUSY: 5`). */
export async function syncLimitCounts(transport: Transport, runs = 5): Promise<Counts> {
  const counts: Counts = {};
  const at = (s: RunStop) => (s.why === "deferred" ? `deferredAt${s.index}` : `${s.why}At${s.index}`);
  for (let i = 0; i < runs; i++) {
    const m = await measureSyncLimit(transport);
    bump(counts, `sends:${at(m.sends)}`);
    bump(counts, `mixed:${at(m.mixed)}`);
    bump(counts, `afterLaterOp:${at(m.afterLaterOp)}`);
    bump(counts, `acrossTurns:${at(m.acrossTurns)}`);
    bump(counts, `secondSend:${m.sendWhileDeferred}`);
    bump(counts, `receiveWhileDeferred:${m.receiveWhileDeferred}`);
    bump(counts, `firstOfDeferredPair:${m.firstOfDeferredPair}`);
    for (const s of [m.afterLaterOp, m.acrossTurns, m.sends, m.mixed]) {
      if (s.why !== "deferred") continue;
      bump(counts, `deferred:${s.outcome}`);
      bump(counts, s.beforeImmediate ? "deferred:beforeImmediate" : "deferred:afterImmediate");
    }
  }
  return counts;
}
