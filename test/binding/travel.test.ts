import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";

// How long things take to get across a loopback tcp connection on the real binding (zeromq.js
// 6.8.0): the kit's scheduler lets real time pass for them before it moves the virtual clock
// while a receive waits (src/instrument/transit.ts), and waits at most 20 ms of quiet. These
// measurements keep that bound honest: a message and a subscription get there in well under
// a millisecond on an idle machine, and nearly always within the wait on a loaded one.

const TRIALS = 50;
/** The scheduler's full wait for the network before the clock moves (10 x the 2 ms choice grace). */
const FULL_WAIT_MS = 20;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Real ms from a send's resumption to the resumption of the pending receive that takes its message (PUSH to PULL over tcp). */
async function messageTravel(): Promise<number> {
  const pull = new zmq.Pull({ linger: 0 });
  await pull.bind("tcp://127.0.0.1:*");
  const push = new zmq.Push({ linger: 0 });
  push.connect(pull.lastEndpoint ?? "");
  await push.send("warm-up");
  await pull.receive();
  const got = pull.receive();
  await push.send("x");
  const sent = performance.now();
  await got;
  const ms = performance.now() - sent;
  push.close();
  pull.close();
  return ms;
}

/** Real ms from `subscribe()` (on a SUB connected just before) to the XPUB's pending receive of the subscription. */
async function subscriptionTravel(): Promise<number> {
  const xpub = new zmq.XPublisher({ linger: 0 });
  await xpub.bind("tcp://127.0.0.1:*");
  const got = xpub.receive();
  const sub = new zmq.Subscriber({ linger: 0 });
  sub.connect(xpub.lastEndpoint ?? "");
  sub.subscribe("topic");
  const start = performance.now();
  const [frame] = await got;
  const ms = performance.now() - start;
  expect(frame?.[0]).toBe(1);
  sub.close();
  xpub.close();
  return ms;
}

describe("travel over loopback tcp (zeromq.js 6.8.0, real sockets)", () => {
  it(`12a. a message sent to a pending receive arrives within the kit's ${FULL_WAIT_MS} ms wait: ${TRIALS} trials`, async () => {
    const times: number[] = [];
    for (let i = 0; i < TRIALS; i++) times.push(await messageTravel());
    expect(median(times)).toBeLessThan(5);
    expect(times.filter((t) => t < FULL_WAIT_MS).length).toBeGreaterThanOrEqual(TRIALS - 2);
  }, 60_000);

  it(`12b. a subscription made right after connect reaches the publisher within the kit's ${FULL_WAIT_MS} ms wait: ${TRIALS} trials`, async () => {
    const times: number[] = [];
    for (let i = 0; i < TRIALS; i++) times.push(await subscriptionTravel());
    expect(median(times)).toBeLessThan(5);
    expect(times.filter((t) => t < FULL_WAIT_MS).length).toBeGreaterThanOrEqual(TRIALS - 2);
  }, 60_000);
});
