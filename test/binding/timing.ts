/**
 * When each zeromq.js socket operation's completion resumes its caller, measured on the real
 * binding. Every function opens its own sockets, closes them all, and returns counts, e.g.
 * `{ atOnce: 50 }` or `{ senderFirst: 200, receiverFirst: 0 }`. `test/binding/timing.test.ts`
 * asserts them; `test/binding/print-table.ts` prints them as the table of
 * `docs/binding-timing.md`.
 */
export { closeWithPending, type PendingAtClose } from "./close-timing.js";
export { HWM_CASES, highWaterMarkCounts, highWaterMarkRuns, sendAtHighWaterMark, type HwmCase, type HwmRun } from "./hwm-timing.js";
export { LINK_KINDS, linkLabel, type LinkKind, type Transport } from "./links.js";
export { LONE_TYPES, receiveTiming, sendWithoutPeer, sendWithPeer, WAITS, type LoneType } from "./op-timing.js";
export { pendingSendAndReceive, receiveWithRoomAgain, sendToPendingReceive, sendUnblockedByPeer, sendWithReplyQueued, timerAgainstMessage, twoPendingReceives, type DeliveryKind } from "./order-timing.js";
export type { Counts } from "./probe.js";
export { deferredOnTwoSockets, measureSyncLimit, syncLimitCounts, type RunStop, type SyncLimit } from "./sync-limit.js";
