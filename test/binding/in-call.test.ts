import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { routerWithDealers } from "./links.js";

// R5 through a timer (R16 in docs/binding-timing.md). A timer can run before the poll callback
// of an inproc receive whose message was just sent (R13), and its callback may send on the
// receiving socket. zeromq.js then completes the receive inside that send, and the receiver
// resumes before the sender. The kit hands a held inproc receive over inside such a send; it
// never lets the send's caller resume while that receive is held.

const TRIALS = 100;

/** Whether a native promise is still pending (read synchronously). */
function pending(p: Promise<unknown>): boolean {
  return inspect(p).includes("<pending>");
}

interface Trial {
  /** The receive was still pending when the second timer's callback started (no poll callback ran in between). */
  readonly beforePoll: boolean;
  /** It had settled when the send on its socket returned. */
  readonly settledInSend: boolean;
  /** Whose continuation ran first. */
  readonly first: "receive" | "send";
}

/**
 * A DEALER with a receive pending on an inproc ROUTER; two timers due at the same time: the
 * first sends to the DEALER on the ROUTER (the heartbeat broker's tick), the second sends on the
 * DEALER (the worker's beater).
 */
async function trial(): Promise<Trial> {
  const { router, dealers } = await routerWithDealers(`inproc://in-call-${randomUUID()}`, ["w"]);
  const [dealer] = dealers as [zmq.Dealer];
  const journal: string[] = [];
  const got = dealer.receive();
  const received = got.then(() => journal.push("receive"));
  let beforePoll = false;
  let settledInSend = false;
  let sent: Promise<unknown> = Promise.resolve();
  await new Promise<void>((resolve) => {
    setTimeout(() => void router.send(["w", "beat"]), 2);
    setTimeout(() => {
      beforePoll = pending(got);
      const s = dealer.send("beat");
      settledInSend = !pending(got);
      sent = s.then(() => journal.push("send"));
      resolve();
    }, 2);
  });
  await Promise.all([received, sent, router.receive()]);
  dealer.close();
  router.close();
  return { beforePoll, settledInSend, first: journal[0] === "receive" ? "receive" : "send" };
}

describe("a send on a socket whose inproc receive's message came in (zeromq.js 6.8.0, real sockets)", () => {
  it(`14. a timer sends on a DEALER whose receive's message another timer of that turn sent: ${TRIALS} trials`, async () => {
    const counts = { beforePoll: 0, settledInSend: 0, receiveFirst: 0, sendFirst: 0 };
    for (let i = 0; i < TRIALS; i++) {
      const t = await trial();
      if (!t.beforePoll) continue;
      counts.beforePoll++;
      if (t.settledInSend) counts.settledInSend++;
      counts[t.first === "receive" ? "receiveFirst" : "sendFirst"]++;
    }
    // Both timers are due together, so the receive's poll callback mostly cannot come between them
    // (measured: 100/100 idle, 99/100 under load); whenever it did not, the send completed the receive.
    expect(counts.beforePoll).toBeGreaterThan(TRIALS / 2);
    expect(counts).toEqual({ beforePoll: counts.beforePoll, settledInSend: counts.beforePoll, receiveFirst: counts.beforePoll, sendFirst: 0 });
  }, 120_000);
});
