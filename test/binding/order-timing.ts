import * as zmq from "zeromq";
import { absentAddress, bindFresh, openDealers, openLink, spinUntil, spinUntilReadable, withSockets, type LinkKind, type Transport } from "./links.js";
import { bump, codeOf, issue, Journal, nextTurn, outcomeOf, settledNow, settlesWithin, sleep, type Counts } from "./probe.js";

/**
 * In which order continuations run when one event completes several ops: a send and the
 * pending receive that takes its message (case 5), two pending receives made ready in one
 * tick (case 8), a send that completes its own socket's pending receive (case 9), and a
 * pending send unblocked by a peer's connect (case 10).
 */

/** Which of the two named continuations ran first. */
function firstOf(journal: Journal, a: string, b: string, aName: string, bName: string): string {
  const i = journal.order.indexOf(a);
  const j = journal.order.indexOf(b);
  if (i < 0 || j < 0) throw new Error(`both ${a} and ${b} must have resumed`);
  return i < j ? aName : bName;
}

/** Links measured in case 5. */
export type DeliveryKind = Extract<LinkKind, "push-pull" | "dealer-router" | "pub-sub">;

/**
 * Case 5: a receive is pending on the receiver; the sender sends (in the same synchronous
 * block). Counts `senderFirst` / `receiverFirst`, the send's timing (`send:atOnce`) and
 * `receiveInSendMacrotask`: the receive had settled by the time the sender resumed, i.e.
 * inside the macrotask that sent.
 */
export async function sendToPendingReceive(kind: DeliveryKind, transport: Transport, n = 200): Promise<Counts> {
  return withSockets(async (bag) => {
    const link = await openLink(bag, kind, transport);
    const counts: Counts = { senderFirst: 0, receiverFirst: 0, receiveInSendMacrotask: 0 };
    for (let i = 0; i < n; i++) {
      const journal = new Journal();
      const receive = issue(journal, "receive", () => link.receive());
      if (receive.settledAtReturn) throw new Error("the receive found a stale message queued");
      const send = issue(journal, "send", () => link.send(`m${i}`));
      bump(counts, `send:${outcomeOf(send.settledAtReturn, await send.resumed)}`);
      if (settledNow(receive.promise)) bump(counts, "receiveInSendMacrotask");
      await receive.resumed;
      bump(counts, firstOf(journal, "send", "receive", "senderFirst", "receiverFirst"));
    }
    return counts;
  });
}

/**
 * Case 8: two pulls, each with a pending receive; their two pushes send in one synchronous
 * block. Trials alternate which receive is issued first and which push sends first. Counts,
 * for the receive that resumed first: `sentOrder` / `reverseOrder` (its message was sent
 * first / second), `issuedFirst` / `issuedSecond` (its receive was issued first / second),
 * `openedFirst` / `openedSecond` (its link was opened first / second).
 */
export async function twoPendingReceives(transport: Transport, n = 200): Promise<Counts> {
  return withSockets(async (bag) => {
    const a = await openLink(bag, "push-pull", transport);
    const b = await openLink(bag, "push-pull", transport);
    const links = { a, b };
    const counts: Counts = { sentOrder: 0, reverseOrder: 0, issuedFirst: 0, issuedSecond: 0, openedFirst: 0, openedSecond: 0 };
    for (let i = 0; i < n; i++) {
      const journal = new Journal();
      const receiveOrder: ["a", "b"] | ["b", "a"] = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
      const sendOrder: ["a", "b"] | ["b", "a"] = Math.floor(i / 2) % 2 === 0 ? ["a", "b"] : ["b", "a"];
      const receives = receiveOrder.map((name) => issue(journal, name, () => links[name].receive()));
      if (receives.some((r) => r.settledAtReturn)) throw new Error("a receive found a stale message queued");
      await nextTurn();
      const sends = sendOrder.map((name) => links[name].send(`m${i}`));
      await Promise.all(sends);
      await Promise.all(receives.map((r) => r.resumed));
      const winner = journal.order[0];
      bump(counts, winner === sendOrder[0] ? "sentOrder" : "reverseOrder");
      bump(counts, winner === receiveOrder[0] ? "issuedFirst" : "issuedSecond");
      bump(counts, winner === "a" ? "openedFirst" : "openedSecond");
    }
    return counts;
  });
}

/**
 * Case 9: a DEALER has a pending receive; its peer's reply reaches it (over tcp the thread
 * spins, without running any callback, until it has); then the DEALER sends.
 * Counts `${where}:${first}`: `where` is `receiveInsideSend` when the receive had settled
 * by the time `send` returned, `receiveAfterSend` otherwise.
 */
export async function sendWithReplyQueued(transport: Transport, n = 50): Promise<Counts> {
  return withSockets(async (bag) => {
    const { a: peer, b: dealer } = await openDealers(bag, transport);
    const counts: Counts = {};
    for (let i = 0; i < n; i++) {
      const journal = new Journal();
      const receive = issue(journal, "receive", () => dealer.receive());
      if (receive.settledAtReturn) throw new Error("the receive found a stale message queued");
      await peer.send(`reply${i}`);
      if (transport === "tcp") spinUntilReadable(dealer);
      const send = issue(journal, "send", () => dealer.send(`request${i}`));
      const where = settledNow(receive.promise) ? "receiveInsideSend" : "receiveAfterSend";
      await Promise.all([send.resumed, receive.resumed]);
      bump(counts, `${where}:${firstOf(journal, "send", "receive", "senderFirst", "receiverFirst")}`);
      await peer.receive();
    }
    return counts;
  });
}

/**
 * Case 9b: a bound DEALER with no peer has a pending send and a pending receive; a peer
 * connects and sends at once. Counts `senderFirst` / `receiverFirst` among the DEALER's two
 * continuations; an op still pending after 50 loop turns and 250 ms counts as
 * `receiveStuck` (or `sendStuck`), and how `close()` then settles the receive is counted
 * too. Each trial uses fresh sockets.
 */
export async function pendingSendAndReceive(transport: Transport, n = 50): Promise<Counts> {
  const counts: Counts = {};
  for (let i = 0; i < n; i++) {
    await withSockets(async (bag) => {
      const dealer = bag.add(new zmq.Dealer({ linger: 0 }));
      const address = await bindFresh(dealer, transport);
      const journal = new Journal();
      const send = issue(journal, "send", () => dealer.send("to-peer"));
      const receive = issue(journal, "receive", () => dealer.receive());
      if (send.settledAtReturn || receive.settledAtReturn) throw new Error("an op completed with no peer");
      await nextTurn();
      const peer = bag.add(new zmq.Dealer({ linger: 0 }));
      peer.connect(address);
      await peer.send("to-dealer");
      if ((await settlesWithin(send.promise)) && (await settlesWithin(receive.promise))) {
        await Promise.all([send.resumed, receive.resumed]);
        bump(counts, firstOf(journal, "send", "receive", "senderFirst", "receiverFirst"));
        return;
      }
      // A wakeup lost: the event loop never completes the op; close() settles it.
      bump(counts, settledNow(send.promise) ? "receiveStuck" : "sendStuck");
      dealer.close();
      const r = await receive.resumed;
      bump(counts, r.settlement.kind === "resolved" ? "closeResolvesReceive" : `closeRejectsReceive:${r.settlement.code}`);
    });
  }
  return counts;
}

/**
 * Case 9c, the mirror of 9: a DEALER (send high-water mark 1) has a send waiting at the
 * high-water mark; its peer takes every message sent so far and replies, each op completing
 * at once (the thread spins, running no callback, until each message is there), so the
 * DEALER's event loop callback cannot run; the thread then spins until the DEALER reports
 * the reply and room to send, and the DEALER receives. Counts `${where}:${first}` as case 9,
 * `where` being `sendInsideReceive` or `sendAfterReceive`. Each trial uses fresh sockets.
 */
export async function receiveWithRoomAgain(transport: Transport, n = 20): Promise<Counts> {
  const counts: Counts = {};
  const payload = transport === "inproc" ? Buffer.from("m") : Buffer.alloc(256 * 1024, 0x6d);
  for (let i = 0; i < n; i++) {
    await withSockets(async (bag) => {
      const { a: dealer, b: peer } = await openDealers(bag, transport, { hwm: 1 });
      const journal = new Journal();
      let sent = 0;
      let waiting: ReturnType<typeof issue> | null = null;
      while (waiting === null) {
        if (sent > 200) throw new Error("no send waited at the high-water mark");
        const w = issue(journal, "send", () => dealer.send(payload));
        if (w.settledAtReturn || (await settlesWithin(w.promise, 5, 5))) {
          await w.resumed;
          sent++;
        } else waiting = w;
      }
      const pending = waiting;
      const order = new Journal();
      const sendDone = pending.promise.then(
        () => order.stamp("send"),
        () => order.stamp("send"),
      );
      for (let k = 0; k < sent; k++) {
        spinUntilReadable(peer);
        await peer.receive();
      }
      await peer.send("reply");
      spinUntil(() => dealer.readable && dealer.writable);
      const receive = issue(order, "receive", () => dealer.receive());
      const where = settledNow(pending.promise) ? "sendInsideReceive" : "sendAfterReceive";
      await Promise.all([sendDone, receive.resumed]);
      bump(counts, `${where}:${order.order[0] === "send" ? "senderFirst" : "receiverFirst"}`);
    });
  }
  return counts;
}

/**
 * Case 10: a PUSH with no peer has a pending send; then a PULL joins it (`connect`: the PUSH
 * is bound and the PULL connects; `bind`: the PUSH, with `immediate`, connected first and
 * the PULL binds), with its receive issued before or after it joins. Counts the send's
 * timing (`send:later`) and `senderFirst` / `receiverFirst`; a receive still pending once the
 * send resumed and the loop turned (50 turns, 250 ms) counts as `receiveStuck`, and how the
 * close settles it is counted too. Each trial uses fresh sockets.
 */
export async function sendUnblockedByPeer(transport: Transport, joins: "connect" | "bind", receive: "beforeJoin" | "afterJoin", n = 50): Promise<Counts> {
  const counts: Counts = {};
  for (let i = 0; i < n; i++) {
    await withSockets(async (bag) => {
      const journal = new Journal();
      const push = bag.add(new zmq.Push({ linger: 0, immediate: joins === "bind", reconnectInterval: 5 }));
      const pull = bag.add(new zmq.Pull({ linger: 0 }));
      const address = joins === "connect" ? await bindFresh(push, transport) : await absentAddress(transport);
      if (joins === "bind") push.connect(address);
      const send = issue(journal, "send", () => push.send(`m${i}`));
      if (send.settledAtReturn) {
        bump(counts, `send:${outcomeOf(true, await send.resumed)}`);
        return;
      }
      await nextTurn();
      const early = receive === "beforeJoin" ? issue(journal, "receive", () => pull.receive()) : null;
      if (joins === "connect") pull.connect(address);
      else await bindRetrying(pull, address);
      const r = early ?? issue(journal, "receive", () => pull.receive());
      bump(counts, `send:${outcomeOf(send.settledAtReturn, await send.resumed)}`);
      if (await settlesWithin(r.promise)) {
        await r.resumed;
        bump(counts, firstOf(journal, "send", "receive", "senderFirst", "receiverFirst"));
        return;
      }
      bump(counts, "receiveStuck");
      pull.close();
      const { settlement } = await r.resumed;
      bump(counts, settlement.kind === "resolved" ? "closeResolvesReceive" : `closeRejectsReceive:${settlement.code}`);
    });
  }
  return counts;
}

/** Binds `socket` to `address`, again while the port is still held by a socket just closed. */
async function bindRetrying(socket: zmq.Socket, address: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await socket.bind(address);
      return;
    } catch (err) {
      if (attempt >= 100 || codeOf(err) !== "EADDRINUSE") throw err;
      await sleep(5);
    }
  }
}

/**
 * Case 11: a receive is pending; from a `setImmediate` callback (as code resumed by I/O runs),
 * a timer of 1 ms is set and the peer sends, then the sender's turn goes on for `busyMs` of
 * synchronous work. Counts `timerFirst` / `messageFirst`: which callback ran first, the
 * timer's or the receive's continuation.
 */
export async function timerAgainstMessage(transport: Transport, busyMs: number, n = 50): Promise<Counts> {
  return withSockets(async (bag) => {
    const link = await openLink(bag, "push-pull", transport);
    const counts: Counts = {};
    for (let i = 0; i < n; i++) {
      let first: "timerFirst" | "messageFirst" | null = null;
      const received = link.receive().then(() => {
        first ??= "messageFirst";
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
      const timer = new Promise<void>((resolve) =>
        setTimeout(() => {
          first ??= "timerFirst";
          resolve();
        }, 1),
      );
      await link.send(`m${i}`);
      const end = performance.now() + busyMs;
      while (performance.now() < end);
      await Promise.all([received, timer]);
      bump(counts, first ?? "neither");
    }
    return counts;
  });
}
