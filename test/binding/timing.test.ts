import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRIALS } from "./table.js";
import {
  closeWithPending,
  deferredOnTwoSockets,
  highWaterMarkCounts,
  LINK_KINDS,
  linkLabel,
  pendingSendAndReceive,
  receiveTiming,
  receiveWithRoomAgain,
  sendToPendingReceive,
  sendUnblockedByPeer,
  sendWithoutPeer,
  sendWithPeer,
  sendWithReplyQueued,
  syncLimitCounts,
  timerAgainstMessage,
  twoPendingReceives,
  type Counts,
  type Transport,
} from "./timing.js";

// When each op of the real zeromq.js 6.8.0 binding resumes its caller. These facts bound
// what the kit's completion scheduler may reorder (docs/binding-timing.md states the rules).
// Every count below is exact unless a comment says the fact varies.

const TRANSPORTS: readonly Transport[] = ["inproc", "tcp"];

/** Active timers and immediates: the measurements' markers must all be cleared or run. */
const timerCount = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "Immediate").length;

describe("binding timing (zeromq.js 6.8.0, real sockets)", () => {
  const N = TRIALS;
  // Counted inside hooks on both ends, so the runner's own hook timer is in both counts.
  const timers = { before: 0 };

  beforeAll(() => {
    timers.before = timerCount();
  });

  afterAll(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(timerCount()).toBeLessThanOrEqual(timers.before);
  });

  it(`1. a send with a joined peer below the high-water mark completes at once: ${N.op}/${N.op} for each of 9 links, inproc and tcp`, async () => {
    for (const t of TRANSPORTS) for (const k of LINK_KINDS) expect([linkLabel(k), t, await sendWithPeer(k, t, N.op)]).toEqual([linkLabel(k), t, { atOnce: N.op }]);
  });

  it(`2. with no peer, PUSH/DEALER/REQ/PAIR sends wait (bound) and close() rejects them EAGAIN; PUB/XPUB/ROUTER complete at once; a socket connected to nobody queues at once: ${N.lone}/${N.lone} each`, async () => {
    for (const t of TRANSPORTS) {
      for (const type of ["push", "dealer", "req", "pair"] as const) expect([type, t, await sendWithoutPeer(type, t, "bound", N.lone)]).toEqual([type, t, { waits: N.lone, "closeRejects:EAGAIN": N.lone }]);
      for (const type of ["pub", "xpub", "router"] as const) expect([type, t, await sendWithoutPeer(type, t, "bound", N.lone)]).toEqual([type, t, { atOnce: N.lone }]);
      for (const type of ["push", "dealer", "req", "pair", "pub", "xpub", "router"] as const)
        expect([type, t, await sendWithoutPeer(type, t, "connected", N.lone)]).toEqual([type, t, { atOnce: N.lone }]);
    }
  });

  it(`3. at the high-water mark PUSH/DEALER/ROUTER-mandatory wait (then resume later, nothing lost), PUB/XPUB/ROUTER drop at once, noDrop rejects EAGAIN at once: ${N.hwmRuns} bursts each`, async () => {
    const R = N.hwmRuns;
    const stable = (c: Counts, keys: string[]) => Object.fromEntries(keys.map((k) => [k, c[k]]));
    for (const which of ["push", "dealer", "router-mandatory"] as const) {
      // inproc: the pipe holds sndhwm + rcvhwm = 2 messages, then the third send waits.
      expect([which, await highWaterMarkCounts(which, "inproc", R)]).toEqual([which, { waited: R, "resumed:later": R, lossless: R, "atOnceFirst:2": R }]);
      // tcp: how many sends fit (and whether some wait briefly while the I/O thread moves
      // messages to the kernel) varies; that the burst ends waiting and loses nothing does not.
      const c = await highWaterMarkCounts(which, "tcp", R);
      expect([which, stable(c, ["waited", "resumed:later", "lossless", "dropped"])]).toEqual([which, { waited: R, "resumed:later": R, lossless: R, dropped: undefined }]);
    }
    for (const t of TRANSPORTS) {
      for (const which of ["pub", "xpub", "router"] as const) expect([which, t, await highWaterMarkCounts(which, t, R)]).toEqual([which, t, { dropped: R, allAtOnce: R }]);
      for (const which of ["pub-noDrop", "xpub-noDrop"] as const) {
        const c = await highWaterMarkCounts(which, t, R);
        expect([which, t, stable(c, ["refused:EAGAIN", "lossless", "waited", "dropped"])]).toEqual([which, t, { "refused:EAGAIN": R, lossless: R, waited: undefined, dropped: undefined }]);
      }
    }
  });

  it(`4. a receive with a message queued completes at once, with nothing queued it resumes later: ${N.op}/${N.op} for each of 9 links, inproc and tcp`, async () => {
    for (const t of TRANSPORTS) {
      for (const k of LINK_KINDS) {
        expect([linkLabel(k), t, await receiveTiming(k, t, "queued", N.op)]).toEqual([linkLabel(k), t, { atOnce: N.op }]);
        expect([linkLabel(k), t, await receiveTiming(k, t, "empty", N.op)]).toEqual([linkLabel(k), t, { later: N.op }]);
      }
    }
  });

  it(`5. a send resumes its caller before the pending receive that takes its message, never in the same macrotask: ${N.delivery}/${N.delivery} for PUSH→PULL, DEALER→ROUTER, PUB→SUB, inproc and tcp`, async () => {
    for (const t of TRANSPORTS) {
      for (const k of ["push-pull", "dealer-router", "pub-sub"] as const) {
        expect([k, t, await sendToPendingReceive(k, t, N.delivery)]).toEqual([k, t, { senderFirst: N.delivery, receiverFirst: 0, receiveInSendMacrotask: 0, "send:atOnce": N.delivery }]);
      }
    }
  });

  it(`6. close() settles a pending op inside the call and its continuation runs before any macrotask: receive and send reject EAGAIN, a receive whose message arrived resolves: ${N.close}/${N.close} each`, async () => {
    for (const t of TRANSPORTS) {
      expect(["receive", t, await closeWithPending("receive", t, N.close)]).toEqual(["receive", t, { "atOnce:EAGAIN": N.close }]);
      expect(["send", t, await closeWithPending("send", t, N.close)]).toEqual(["send", t, { "atOnce:EAGAIN": N.close }]);
      expect(["arrived", t, await closeWithPending("receive-message-arrived", t, N.close)]).toEqual(["arrived", t, { atOnce: N.close }]);
    }
  });

  it(`7. the 513th consecutive op that could complete at once is deferred (send and receive share the count; a deferred or later op resets it, loop turns do not); meanwhile a second send throws EBUSY: ${N.syncRuns} runs; two sockets' deferred ops resume last-issued first: ${N.deferredPairs}/${N.deferredPairs}`, async () => {
    const R = N.syncRuns;
    for (const t of TRANSPORTS) {
      const c = await syncLimitCounts(t, R);
      // Whether the deferred op resumes before a setImmediate queued just before it depends
      // on the loop phase it was issued in (both seen); only its being later is asserted.
      const { "deferred:beforeImmediate": _before, "deferred:afterImmediate": _after, ...rest } = c;
      expect([t, rest]).toEqual([
        t,
        {
          "sends:deferredAt512": R,
          "mixed:deferredAt512": R,
          "afterLaterOp:deferredAt512": R,
          "acrossTurns:deferredAt512": R,
          "secondSend:threw:EBUSY": R,
          "receiveWhileDeferred:later": R,
          "firstOfDeferredPair:receive": R,
          "deferred:later": 4 * R,
        },
      ]);
      const pairs = await deferredOnTwoSockets(t, N.deferredPairs);
      expect([t, pairs.issueOrder, pairs.reverseIssueOrder]).toEqual([t, 0, N.deferredPairs]);
    }
  });

  it(`8. two pending receives made ready in one synchronous block: inproc resumes them in the order they were issued (${N.race}/${N.race}, whatever the send order); over tcp the order varies`, async () => {
    // Runs made while writing this: more than 30, on a shared 2-core machine (8 of them with a
    // CPU-bound process on the other core). inproc followed issue order 200/200 every time.
    // Over tcp the receive issued second resumed first in 17 to 100 of 200 trials in every
    // run; the receive whose message was sent second resumed first in 0 to 88 of 200 (0 only
    // on a quiet machine), so that is not asserted.
    const inproc = await twoPendingReceives("inproc", N.race);
    expect(inproc).toMatchObject({ issuedFirst: N.race, issuedSecond: 0, sentOrder: N.race / 2, reverseOrder: N.race / 2 });
    const tcp = await twoPendingReceives("tcp", N.race);
    expect((tcp.sentOrder ?? 0) + (tcp.reverseOrder ?? 0)).toBe(N.race);
    expect(tcp.issuedSecond).toBeGreaterThan(0);
  });

  it(`9. a send on a socket whose pending receive has its message queued completes that receive inside send(), and the receive's continuation runs first: ${N.reply}/${N.reply} inproc and tcp`, async () => {
    for (const t of TRANSPORTS) expect([t, await sendWithReplyQueued(t, N.reply)]).toEqual([t, { "receiveInsideSend:receiverFirst": N.reply }]);
  });

  it(`9b. a socket's pending send and pending receive released by one peer: inproc resumes the receive first (${N.reply}/${N.reply}); over tcp the order varies and the receive's wakeup is sometimes lost`, async () => {
    expect(await pendingSendAndReceive("inproc", N.reply)).toEqual({ receiverFirst: N.reply });
    // Over tcp the receive came first in 0 to 37 of 50 trials (runs made while writing this:
    // more than 30; 366 of 1000 in one long run), and now and then (11 of 1000) the receive is
    // never woken until close() hands it the message: the event loop's writable callback
    // sent, and consumed the readable edge. Only that each trial ends one of these ways is
    // asserted.
    const tcp = await pendingSendAndReceive("tcp", N.reply);
    const { senderFirst = 0, receiverFirst = 0, receiveStuck = 0, closeResolvesReceive = 0, ...other } = tcp;
    expect([senderFirst + receiverFirst + receiveStuck, closeResolvesReceive, other]).toEqual([N.reply, receiveStuck, {}]);
  });

  it(`9c. a receive on a socket whose send waits at the high-water mark completes that send inside receive() once there is room, and the send's continuation runs first: ${N.room}/${N.room} inproc and tcp`, async () => {
    for (const t of TRANSPORTS) expect([t, await receiveWithRoomAgain(t, N.room)]).toEqual([t, { "sendInsideReceive:senderFirst": N.room }]);
  });

  it(`10. a pending send unblocked by a peer joining resumes later, before the peer's receive of that message: ${N.joins}/${N.joins}; a receive pending across its own socket's inproc connect is never woken (${N.stuck}/${N.stuck})`, async () => {
    for (const t of TRANSPORTS) expect([t, await sendUnblockedByPeer(t, "connect", "afterJoin", N.joins)]).toEqual([t, { "send:later": N.joins, senderFirst: N.joins }]);
    expect(await sendUnblockedByPeer("inproc", "connect", "beforeJoin", N.stuck)).toEqual({ "send:later": N.stuck, receiveStuck: N.stuck, closeResolvesReceive: N.stuck });
    expect(await sendUnblockedByPeer("tcp", "connect", "beforeJoin", N.stuck)).toEqual({ "send:later": N.stuck, senderFirst: N.stuck });
    // With `immediate`, a tcp PUSH connected before its peer binds waits; over inproc the
    // option does not hold the send back.
    expect(await sendUnblockedByPeer("tcp", "bind", "afterJoin", N.joins)).toEqual({ "send:later": N.joins, senderFirst: N.joins });
    expect(await sendUnblockedByPeer("inproc", "bind", "afterJoin", N.joins)).toEqual({ "send:atOnce": N.joins });
  });

  it(`11. a 1 ms timer set with a send runs before the receive of that message resumes when the sender's turn goes on for 1.5 ms: ${N.reply}/${N.reply} inproc and tcp; with no such work, either may come first`, async () => {
    for (const t of TRANSPORTS) expect([t, await timerAgainstMessage(t, 1.5, N.reply)]).toEqual([t, { timerFirst: N.reply }]);
    // Idle, the timer came first 0 to 6 times in 200 (inproc and tcp): only that every trial
    // ends one of the two ways is asserted.
    for (const t of TRANSPORTS) {
      const { timerFirst = 0, messageFirst = 0, ...other } = await timerAgainstMessage(t, 0, N.reply);
      expect([t, timerFirst + messageFirst, other]).toEqual([t, N.reply, {}]);
    }
  });
});
