import * as zmq from "zeromq";
import { bindFresh, spinUntilReadable, withSockets, type Transport } from "./links.js";
import { bump, issue, Journal, outcomeOf, settledNow, type Counts } from "./probe.js";

/**
 * Case 6: `close()` on a socket with a pending op. The op's markers are re-armed just before
 * the close, so `atOnce` here means: settled inside `close()`, and the awaiting continuation
 * ran before any macrotask queued just before the close.
 */

/** What is pending when the socket closes. */
export type PendingAtClose =
  /** a receive on a bound PULL nobody sends to */
  | "receive"
  /** a send on a bound PUSH nobody connected to */
  | "send"
  /** a receive whose message has reached the PULL (over tcp: the thread spins until it has), before the event loop handed it over */
  | "receive-message-arrived";

/** `n` closes, each of a fresh socket with one pending op; counts the op's outcome relative to the close. */
export async function closeWithPending(pending: PendingAtClose, transport: Transport, n = 50): Promise<Counts> {
  const counts: Counts = {};
  for (let i = 0; i < n; i++) {
    await withSockets(async (bag) => {
      const journal = new Journal();
      let op: ReturnType<typeof issue>;
      let socket: zmq.Socket;
      if (pending === "send") {
        const push = bag.add(new zmq.Push({ linger: 0 }));
        await bindFresh(push, transport);
        op = issue(journal, "send", () => push.send(`m${i}`));
        socket = push;
      } else {
        const pull = bag.add(new zmq.Pull({ linger: 0 }));
        const address = await bindFresh(pull, transport);
        const push = bag.add(new zmq.Push({ linger: 0 }));
        push.connect(address);
        await push.send("join");
        await pull.receive();
        op = issue(journal, "receive", () => pull.receive());
        if (pending === "receive-message-arrived") {
          await push.send(`m${i}`);
          if (transport === "tcp") spinUntilReadable(pull);
        }
        socket = pull;
      }
      if (op.settledAtReturn) throw new Error("the op was meant to be pending before the close");
      op.markers.rearm();
      socket.close();
      const settledInClose = settledNow(op.promise);
      const r = await op.resumed;
      bump(counts, outcomeOf(settledInClose, r));
    });
  }
  return counts;
}
