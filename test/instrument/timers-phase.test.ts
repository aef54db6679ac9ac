import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";

const z = instrument(zmq);

/** The binding test's shape (test/binding/timers-phase.test.ts): two 2 ms timers, the first sends to a PULL whose receive waits. */
async function shape(seen: string[]): Promise<void> {
  const address = `inproc://timers-phase-${randomUUID()}`;
  const pull = new z.Pull();
  await pull.bind(address);
  const push = new z.Push();
  push.connect(address);
  const received = pull.receive().then(() => seen.push("receive"));
  let sent: Promise<void> = Promise.resolve();
  setTimeout(() => {
    seen.push("first timer");
    sent = push.send("job");
  }, 2);
  setTimeout(() => seen.push("second timer"), 2);
  await new Promise((resolve) => setTimeout(resolve, 6));
  await received;
  await sent;
  push.close();
  pull.close();
}

describe("the timers due at an instant fire before anything held (R24)", () => {
  it("a receive made ready by the first of two timers due together resumes after the second, in every run of a search", async () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const seen: string[] = [];
      const report = await runInterleaved(() => shape(seen), { zmq: z, seed });
      expect(report.label).toBe("ok");
      orders.add(seen.join(", "));
    }
    expect([...orders]).toEqual(["first timer, second timer, receive"]);
  });
});
