import { closeWithPending } from "./close-timing.js";
import { highWaterMarkCounts, type HwmCase } from "./hwm-timing.js";
import { LINK_KINDS, linkLabel, type LinkKind, type Transport } from "./links.js";
import { receiveTiming, sendWithoutPeer, sendWithPeer, type LoneType } from "./op-timing.js";
import { pendingSendAndReceive, receiveWithRoomAgain, sendToPendingReceive, sendUnblockedByPeer, sendWithReplyQueued, timerAgainstMessage, twoPendingReceives, type DeliveryKind } from "./order-timing.js";
import { describe, rawCounts } from "./phrases.js";
import type { Counts } from "./probe.js";
import { deferredOnTwoSockets, syncLimitCounts } from "./sync-limit.js";

/**
 * The rows of `docs/binding-timing.md`: each group is one situation, measured per socket
 * type and transport. Rows of a group whose counts are equal on one transport are merged.
 */

/** Trials per row, shared with `timing.test.ts`. */
export const TRIALS = {
  op: 50,
  lone: 50,
  hwmRuns: 5,
  delivery: 200,
  close: 50,
  syncRuns: 3,
  deferredPairs: 20,
  race: 200,
  reply: 50,
  room: 20,
  joins: 50,
  /** a stuck receive costs a 250 ms wait per trial */
  stuck: 10,
} as const;

/** Where a member's counts come from; `memo` shares one measurement between rows. */
export interface Memo {
  readonly results: Map<string, Promise<Counts>>;
}

interface Member {
  readonly sockets: string;
  readonly n: number;
  readonly measure: (t: Transport, memo: Memo) => Promise<Counts>;
}

interface Group {
  readonly id: string;
  readonly situation: string;
  readonly members: readonly Member[];
}

/** One row of the table. */
export interface Row {
  readonly id: string;
  readonly situation: string;
  readonly sockets: string;
  readonly transport: Transport;
  readonly n: number;
  readonly counts: Counts;
}

function once(memo: Memo, key: string, run: () => Promise<Counts>): Promise<Counts> {
  const hit = memo.results.get(key);
  if (hit !== undefined) return hit;
  const p = run();
  memo.results.set(key, p);
  return p;
}

/** Keys of `counts` starting with `prefix`, prefix kept. */
function only(counts: Counts, ...prefixes: string[]): Counts {
  return Object.fromEntries(Object.entries(counts).filter(([k]) => prefixes.some((p) => k.startsWith(p))));
}

const links = (kinds: readonly LinkKind[], n: number, measure: (k: LinkKind, t: Transport) => Promise<Counts>): Member[] =>
  kinds.map((k) => ({ sockets: linkLabel(k), n, measure: (t: Transport) => measure(k, t) }));

const lones = (types: readonly LoneType[], side: "bound" | "connected"): Member[] =>
  types.map((type) => ({ sockets: type.toUpperCase(), n: TRIALS.lone, measure: (t: Transport) => sendWithoutPeer(type, t, side, TRIALS.lone) }));

const hwm = (cases: readonly HwmCase[]): Member[] =>
  cases.map((c) => ({ sockets: c.toUpperCase().replace("-NODROP", " noDrop").replace("-MANDATORY", " mandatory"), n: TRIALS.hwmRuns, measure: (t: Transport) => highWaterMarkCounts(c, t, TRIALS.hwmRuns) }));

const sync = (prefixes: string[], n: number = TRIALS.syncRuns): Member[] => [
  { sockets: "DEALER↔DEALER", n, measure: (t, memo) => once(memo, `sync-${t}`, () => syncLimitCounts(t, TRIALS.syncRuns)).then((c) => only(c, ...prefixes)) },
];

const DELIVERY: readonly DeliveryKind[] = ["push-pull", "dealer-router", "pub-sub"];

/** Every situation measured, in table order. */
export const GROUPS: readonly Group[] = [
  { id: "1", situation: "send, peer joined, below the high-water mark", members: links(LINK_KINDS, TRIALS.op, (k, t) => sendWithPeer(k, t, TRIALS.op)) },
  { id: "2a", situation: "send on a bound socket nobody connected to; then close()", members: lones(["push", "dealer", "req", "pair"], "bound") },
  { id: "2b", situation: "send on a bound socket nobody connected to", members: lones(["pub", "xpub", "router"], "bound") },
  { id: "2c", situation: "send on a socket connected to an address nobody listens on", members: lones(["push", "dealer", "req", "pair", "pub", "xpub", "router"], "connected") },
  { id: "3a", situation: "burst at high-water mark 1 (receiver not reading), runs", members: hwm(["push", "dealer", "router-mandatory"]) },
  { id: "3b", situation: "burst at high-water mark 1 (receiver not reading), runs", members: hwm(["pub", "xpub", "router"]) },
  { id: "3c", situation: "burst at high-water mark 1 (receiver not reading), runs", members: hwm(["pub-noDrop", "xpub-noDrop"]) },
  { id: "4a", situation: "receive with a message already queued", members: links(LINK_KINDS, TRIALS.op, (k, t) => receiveTiming(k, t, "queued", TRIALS.op)) },
  { id: "4b", situation: "receive with nothing queued (the peer sends a turn later)", members: links(LINK_KINDS, TRIALS.op, (k, t) => receiveTiming(k, t, "empty", TRIALS.op)) },
  { id: "5", situation: "send whose message a pending receive on the peer takes", members: links(DELIVERY, TRIALS.delivery, (k, t) => sendToPendingReceive(k as DeliveryKind, t, TRIALS.delivery)) },
  { id: "6a", situation: "close() with a pending receive (nothing sent)", members: [{ sockets: "PULL", n: TRIALS.close, measure: (t) => closeWithPending("receive", t, TRIALS.close) }] },
  { id: "6b", situation: "close() with a pending send (no peer)", members: [{ sockets: "PUSH", n: TRIALS.close, measure: (t) => closeWithPending("send", t, TRIALS.close) }] },
  { id: "6c", situation: "close() with a pending receive whose message has arrived", members: [{ sockets: "PULL", n: TRIALS.close, measure: (t) => closeWithPending("receive-message-arrived", t, TRIALS.close) }] },
  { id: "7a", situation: "513 consecutive sends that could each complete at once", members: sync(["sends:"]) },
  { id: "7b", situation: "alternating receive/send, each could complete at once", members: sync(["mixed:"]) },
  { id: "7c", situation: "what resets the count of ops completed at once", members: sync(["afterLaterOp:", "acrossTurns:"]) },
  { id: "7d", situation: "ops issued while a deferred send has not run", members: sync(["secondSend:", "receiveWhileDeferred:", "firstOfDeferredPair:"]) },
  { id: "7e", situation: "when a deferred op resumes (4 deferrals per run)", members: sync(["deferred:"], TRIALS.syncRuns * 4) },
  { id: "7f", situation: "two sockets' deferred sends issued in one synchronous block", members: [{ sockets: "PUSH→PULL ×2", n: TRIALS.deferredPairs, measure: (t) => deferredOnTwoSockets(t, TRIALS.deferredPairs) }] },
  { id: "8", situation: "two pending receives made ready in one synchronous block", members: [{ sockets: "PUSH→PULL ×2", n: TRIALS.race, measure: (t) => twoPendingReceives(t, TRIALS.race) }] },
  { id: "9a", situation: "send on a socket whose pending receive has its message queued", members: [{ sockets: "DEALER↔DEALER", n: TRIALS.reply, measure: (t) => sendWithReplyQueued(t, TRIALS.reply) }] },
  { id: "9b", situation: "pending send and pending receive on one socket, a peer connects and sends", members: [{ sockets: "DEALER↔DEALER", n: TRIALS.reply, measure: (t) => pendingSendAndReceive(t, TRIALS.reply) }] },
  { id: "9c", situation: "receive on a socket whose send waits at the high-water mark, once there is room again", members: [{ sockets: "DEALER↔DEALER", n: TRIALS.room, measure: (t) => receiveWithRoomAgain(t, TRIALS.room) }] },
  { id: "10a", situation: "send on a bound PUSH with no peer; a PULL connects, its receive issued after the connect", members: [{ sockets: "PUSH→PULL", n: TRIALS.joins, measure: (t) => sendUnblockedByPeer(t, "connect", "afterJoin", TRIALS.joins) }] },
  { id: "10b", situation: "as 10a, the PULL's receive issued before its own connect", members: [{ sockets: "PUSH→PULL", n: TRIALS.stuck, measure: (t) => sendUnblockedByPeer(t, "connect", "beforeJoin", TRIALS.stuck) }] },
  { id: "10c", situation: "send on a PUSH (immediate) connected before its peer binds; a PULL binds, its receive issued after the bind", members: [{ sockets: "PUSH→PULL", n: TRIALS.joins, measure: (t) => sendUnblockedByPeer(t, "bind", "afterJoin", TRIALS.joins) }] },
  { id: "11a", situation: "a 1 ms timer set with a send, the sender's turn going on for 1.5 ms", members: [{ sockets: "PUSH→PULL", n: TRIALS.reply, measure: (t) => timerAgainstMessage(t, 1.5, TRIALS.reply) }] },
  { id: "11b", situation: "a 1 ms timer set with a send, nothing else to do", members: [{ sockets: "PUSH→PULL", n: TRIALS.reply, measure: (t) => timerAgainstMessage(t, 0, TRIALS.reply) }] },
];

/** Measures every group on both transports; `onRow` sees each row as it is measured. */
export async function measureRows(onRow: (row: Row) => void = () => {}): Promise<Row[]> {
  const memo: Memo = { results: new Map() };
  const rows: Row[] = [];
  for (const transport of ["inproc", "tcp"] as const) {
    for (const g of GROUPS) {
      for (const m of g.members) {
        const row = { id: g.id, situation: g.situation, sockets: m.sockets, transport, n: m.n, counts: await m.measure(transport, memo) };
        onRow(row);
        rows.push(row);
      }
    }
  }
  return rows;
}

function sameCounts(a: Counts, b: Counts): boolean {
  const sorted = (c: Counts) => JSON.stringify(Object.entries(c).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return sorted(a) === sorted(b);
}

/** The markdown table: rows in group order, inproc before tcp, equal rows of a group merged. */
export function formatTable(rows: readonly Row[]): string {
  const merged: Row[] = [];
  for (const g of GROUPS) {
    for (const transport of ["inproc", "tcp"] as const) {
      for (const r of rows.filter((x) => x.id === g.id && x.transport === transport)) {
        const same = merged.find((m) => m.id === r.id && m.transport === r.transport && m.n === r.n && sameCounts(m.counts, r.counts));
        if (same === undefined) merged.push(r);
        else merged[merged.indexOf(same)] = { ...same, sockets: `${same.sockets}, ${r.sockets}` };
      }
    }
  }
  const lines = ["| row | case | sockets | transport | what happens | counts |", "|---|---|---|---|---|---|"];
  for (const r of merged) lines.push(`| ${r.id} | ${r.situation} | ${r.sockets} | ${r.transport} | ${describe(r.counts, r.n)} | ${rawCounts(r.counts)} |`);
  return lines.join("\n");
}
