import { openLink, receiveUpToToken, withSockets, type LinkKind, type LinkOptions, type Transport } from "./links.js";
import { WAITS } from "./op-timing.js";
import { bump, issue, Journal, nextTurn, outcomeOf, settledNow, sleep, type Counts } from "./probe.js";

/**
 * Case 3: sends at the high-water mark. Both sockets of a joined link get a high-water mark
 * of 1 and the receiver does not read while the sender sends a burst; the burst stops at the
 * first send that waits. Then the receiver reads until that send resumes, and a token sent
 * afterwards counts what was delivered, so drops show as `delivered < sent`.
 */

/** Senders measured at the high-water mark. */
export type HwmCase = "push" | "dealer" | "pub" | "pub-noDrop" | "xpub" | "xpub-noDrop" | "router" | "router-mandatory";

/** Every high-water-mark case, in table order. */
export const HWM_CASES: readonly HwmCase[] = ["push", "dealer", "pub", "pub-noDrop", "xpub", "xpub-noDrop", "router", "router-mandatory"];

/** Each case's link; `drops` when a send the high-water mark stops is silently discarded. */
const SETUP: Record<HwmCase, { kind: LinkKind; options: LinkOptions; drops: boolean }> = {
  push: { kind: "push-pull", options: {}, drops: false },
  dealer: { kind: "dealer-dealer", options: {}, drops: false },
  pub: { kind: "pub-sub", options: {}, drops: true },
  "pub-noDrop": { kind: "pub-sub", options: { noDrop: true }, drops: false },
  xpub: { kind: "xpub-sub", options: {}, drops: true },
  "xpub-noDrop": { kind: "xpub-sub", options: { noDrop: true }, drops: false },
  router: { kind: "router-dealer", options: {}, drops: true },
  "router-mandatory": { kind: "router-dealer", options: { mandatory: true }, drops: false },
};

/** What one burst did. */
export interface HwmRun {
  /** Outcome of each send of the burst (`atOnce`, `atOnce:EAGAIN`, `later`: pending at return, then room without the receiver reading, `waits`). */
  readonly sends: Counts;
  /** Sends of the burst that resolved at once before the first one that did not. */
  readonly atOnceFirst: number;
  /** How the waiting send (if any) resumed once the receiver read: `later`. */
  readonly resumed: string | null;
  /** Messages of the burst that resolved (at once or later). */
  readonly accepted: number;
  /** Messages of the burst the receiver got. */
  readonly delivered: number;
}

/** Burst length and payload size: over tcp the kernel's buffers hold several megabytes. */
function burst(transport: Transport): { count: number; payload: Buffer } {
  return transport === "inproc" ? { count: 20, payload: Buffer.from("m") } : { count: 64, payload: Buffer.alloc(256 * 1024, 0x6d) };
}

/** One burst on a fresh link. */
export async function sendAtHighWaterMark(which: HwmCase, transport: Transport): Promise<HwmRun> {
  return withSockets(async (bag) => {
    const { kind, options, drops } = SETUP[which];
    const link = await openLink(bag, kind, transport, { hwm: 1, ...options });
    const { count, payload } = burst(transport);
    const sends: Counts = {};
    let atOnceFirst = 0;
    let leading = true;
    let accepted = 0;
    let waiting: ReturnType<typeof issue> | null = null;
    for (let i = 0; i < count && waiting === null; i++) {
      const w = issue(new Journal(), "send", () => link.sender.send(kind === "router-dealer" ? ["peer", payload] : payload));
      if (!w.settledAtReturn) {
        for (let t = 0; t < 5; t++) await nextTurn();
        await sleep(5);
        if (settledNow(w.promise)) {
          // over tcp the I/O thread moves queued messages on to the kernel: room again
          const outcome = outcomeOf(false, await w.resumed);
          bump(sends, outcome);
          if (outcome === "later") accepted++;
          leading = false;
          continue;
        }
        bump(sends, WAITS);
        waiting = w;
        break;
      }
      const outcome = outcomeOf(w.settledAtReturn, await w.resumed);
      bump(sends, outcome);
      if (outcome === "atOnce") accepted++;
      if (outcome !== "atOnce") leading = false;
      if (leading) atOnceFirst++;
    }
    let delivered = 0;
    let resumed: string | null = null;
    if (waiting !== null) {
      while (!settledNow(waiting.promise)) {
        await link.receive();
        delivered++;
        for (let t = 0; t < 5 && !settledNow(waiting.promise); t++) await nextTurn();
      }
      const r = await waiting.resumed;
      resumed = outcomeOf(false, r);
      if (r.settlement.kind === "resolved") accepted++;
    }
    delivered += await receiveUpToToken((token) => link.send(token), () => link.receive(), drops);
    return { sends, atOnceFirst, resumed, accepted, delivered };
  });
}

/** `runs` bursts, each on a fresh link. */
export async function highWaterMarkRuns(which: HwmCase, transport: Transport, runs: number): Promise<HwmRun[]> {
  const out: HwmRun[] = [];
  for (let i = 0; i < runs; i++) out.push(await sendAtHighWaterMark(which, transport));
  return out;
}

/**
 * `runs` bursts as counts over runs: `waited` (the burst ended at a send that waits),
 * `resumedLater` (that send resumed from the event loop once the receiver read),
 * `refused:EAGAIN` (some send rejected at once), `dropped` (fewer delivered than accepted),
 * `lossless`, and `allAtOnce` (every send of the burst resolved at once) or `atOnceFirst:k`
 * (k sends resolved at once before the first that did not; `some` over tcp, where k varies).
 */
export async function highWaterMarkCounts(which: HwmCase, transport: Transport, runs = 5): Promise<Counts> {
  const counts: Counts = {};
  for (const r of await highWaterMarkRuns(which, transport, runs)) {
    if (r.sends[WAITS] !== undefined) bump(counts, "waited");
    if (r.resumed !== null) bump(counts, `resumed:${r.resumed}`);
    for (const key of Object.keys(r.sends)) if (key.startsWith("atOnce:")) bump(counts, `refused:${key.slice("atOnce:".length)}`);
    if (r.sends.later !== undefined) bump(counts, "someLaterWithoutRead");
    bump(counts, r.delivered < r.accepted ? "dropped" : r.delivered === r.accepted ? "lossless" : "deliveredMoreThanAccepted");
    const burstLength = Object.values(r.sends).reduce((a, b) => a + b, 0);
    if (r.atOnceFirst === burstLength) bump(counts, "allAtOnce");
    else if (transport === "inproc") bump(counts, `atOnceFirst:${r.atOnceFirst}`);
    else bump(counts, r.atOnceFirst > 0 ? "atOnceFirst:some" : "atOnceFirst:0");
  }
  return counts;
}
