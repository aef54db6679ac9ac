import type { Counts } from "./probe.js";

/**
 * Words for the outcome keys the timing measurements count, so the table's "what happens"
 * column is written from the counts themselves and stays true when the table is regenerated.
 */

const WORDS: Record<string, string> = {
  atOnce: "resolves at once",
  later: "pending at return, resumes from a later macrotask",
  waits: "stays pending until a peer acts",
  closeResolves: "close() resolves it",
  senderFirst: "sender's continuation runs first",
  receiverFirst: "receiver's continuation runs first",
  receiveInSendMacrotask: "receive settled inside the sending macrotask",
  waited: "the burst ends at a send that waits",
  allAtOnce: "every send of the burst resolves at once",
  someLaterWithoutRead: "some sends pending at return got room without the receiver reading",
  dropped: "messages dropped (delivered < resolved sends)",
  lossless: "no message lost (delivered = resolved sends)",
  receiveStuck: "the receive never resumes (lost wakeup) until close",
  closeResolvesReceive: "close() resolves the stuck receive with the message",
  sendStuck: "the send never resumes until close",
  sentOrder: "first to resume: the receive whose message was sent first",
  reverseOrder: "first to resume: the receive whose message was sent second",
  issuedFirst: "first to resume: the receive issued first",
  issuedSecond: "first to resume: the receive issued second",
  openedFirst: "first to resume: the socket opened first",
  openedSecond: "first to resume: the socket opened second",
  issueOrder: "the deferred ops resume in issue order",
  reverseIssueOrder: "the deferred ops resume in reverse issue order (last issued first)",
  beforeImmediate: "a deferred op resumed before a setImmediate queued just before it",
  timerFirst: "the timer runs before the receive resumes",
  messageFirst: "the receive resumes before the timer runs",
};

const PREFIXES: readonly (readonly [string, (rest: string) => string])[] = [
  ["atOnce:", (code) => `rejects ${code} at once`],
  ["later:", (code) => `pending at return, rejects ${code} from a later macrotask`],
  ["closeRejects:", (code) => `close() rejects it ${code}`],
  ["closeRejectsReceive:", (code) => `close() rejects the stuck receive ${code}`],
  ["refused:", (code) => `some send rejected ${code} at once`],
  ["resumed:", (t) => `the waiting send, once the receiver reads: ${phrase(t)}`],
  ["atOnceFirst:", (k) => (k === "some" ? "one or more sends resolved at once before the first that did not" : `${k} sends resolved at once before the first that did not`)],
  ["send:", (t) => `send ${phrase(t)}`],
  ["receiveInsideSend:", (first) => `receive completed inside send(); ${phrase(first)}`],
  ["receiveAfterSend:", (first) => `receive completed after send() returned; ${phrase(first)}`],
  ["sendInsideReceive:", (first) => `the waiting send completed inside receive(); ${phrase(first)}`],
  ["sendAfterReceive:", (first) => `the waiting send completed after receive() returned; ${phrase(first)}`],
  ["sends:", (at) => `a run of sends: ${phrase(at)}`],
  ["mixed:", (at) => `alternating receive/send: ${phrase(at)}`],
  ["afterLaterOp:", (at) => `sends after a receive that resumed later: ${phrase(at)}`],
  ["acrossTurns:", (at) => `300 sends, loop turns, then sends: ${phrase(at)}`],
  ["secondSend:", (what) => `a second send while the deferred one waits: ${phrase(what)}`],
  ["receiveWhileDeferred:", (t) => `a receive (message queued) while the deferred send waits: ${phrase(t)}`],
  ["firstOfDeferredPair:", (op) => `of the deferred send and that receive, first to resume: the ${op}`],
  ["deferred:", (t) => (t === "beforeImmediate" ? "the deferred op resumed before a setImmediate queued just before it" : t === "afterImmediate" ? "the deferred op resumed after a setImmediate queued just before it" : `the deferred op ${phrase(t)}`)],
  ["deferredAt", (i) => `op #${Number(i) + 1} (index ${i}) is the first deferred`],
  ["threw:", (code) => `throws ${code} synchronously`],
];

/** The words for one outcome key. */
export function phrase(key: string): string {
  const word = WORDS[key];
  if (word !== undefined) return word;
  for (const [prefix, say] of PREFIXES) if (key.startsWith(prefix)) return say(key.slice(prefix.length));
  return key;
}

/** "what happens" for a row: each outcome in words with its count out of `n`. */
export function describe(counts: Counts, n: number): string {
  return Object.entries(counts)
    .map(([key, count]) => `${phrase(key)}: ${count}/${n}`)
    .join("; ");
}

/** The raw counts, `key count` pairs. */
export function rawCounts(counts: Counts): string {
  return Object.entries(counts)
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");
}
