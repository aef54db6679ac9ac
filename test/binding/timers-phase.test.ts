import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";

// Timers due at one millisecond fire in one timers phase of the event loop, before any I/O
// callback (R24 in docs/binding-timing.md). A receive that a timer's callback makes ready (the
// message goes into its inproc pipe) resumes in the poll phase, after every other timer due
// then. Trials whose two timers did not start on one millisecond (Node's own `_idleStart`)
// are not counted: their timers are not due together.

/** Node's timer object, with the loop millisecond it was started at. */
type NodeTimer = NodeJS.Timeout & { readonly _idleStart: number };

interface Trial {
  readonly order: string;
  readonly together: boolean;
}

/** A PULL with a pending receive; two 2 ms timers: the first sends to the PULL, the second notes itself. */
async function trial(): Promise<Trial> {
  const address = `inproc://timers-phase-${randomUUID()}`;
  const pull = new zmq.Pull();
  await pull.bind(address);
  const push = new zmq.Push();
  push.connect(address);
  const seen: string[] = [];
  const received = pull.receive().then(() => seen.push("receive"));
  let sent: Promise<void> = Promise.resolve();
  const first = setTimeout(() => {
    seen.push("first timer");
    sent = push.send("job");
  }, 2) as NodeTimer;
  const second = setTimeout(() => seen.push("second timer"), 2) as NodeTimer;
  await new Promise((resolve) => setTimeout(resolve, 6));
  await received;
  await sent;
  push.close();
  pull.close();
  return { order: seen.join(", "), together: first._idleStart === second._idleStart };
}

describe("R24: the timers due at one millisecond fire before the I/O callbacks", () => {
  it("a receive made ready by the first of two timers due together resumes after the second, every trial", async () => {
    const counts: Record<string, number> = {};
    let apart = 0;
    for (let i = 0; i < 200; i++) {
      const t = await trial();
      if (!t.together) {
        apart++;
        continue;
      }
      counts[t.order] = (counts[t.order] ?? 0) + 1;
    }
    expect(apart).toBeLessThan(100);
    expect(counts).toEqual({ "first timer, second timer, receive": 200 - apart });
  });
});
