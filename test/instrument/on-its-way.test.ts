import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { answering } from "./answering.js";

const z = instrument(zmq);

/**
 * A tcp PULL whose message has arrived and an inproc PULL whose receive waits; a send makes the
 * inproc receive ready, then the program receives on the tcp PULL, looking at `readable` just
 * before when `look` says so. `seen` gets the resumptions. (Two messages go over tcp in one
 * block; once `readable` says the first is there, it is received, and the second, which came
 * with it, is the one the receive under test finds at once.)
 */
async function shape(seen: string[], look: boolean): Promise<void> {
  const tcpPull = new z.Pull();
  await tcpPull.bind("tcp://127.0.0.1:*");
  const tcpPush = new z.Push();
  tcpPush.connect(tcpPull.lastEndpoint ?? "");
  const address = `inproc://on-its-way-${randomUUID()}`;
  const pull = new z.Pull();
  await pull.bind(address);
  const push = new z.Push();
  push.connect(address);
  await tcpPush.send("first");
  await tcpPush.send("second");
  for (let i = 0; !tcpPull.readable; i++) {
    if (i > 10_000) throw new Error("the tcp messages did not arrive");
    await new Promise((resolve) => setImmediate(resolve));
  }
  await tcpPull.receive();
  const inproc = pull.receive().then(() => seen.push("inproc"));
  await push.send("over inproc");
  if (look && !tcpPull.readable) throw new Error("the second tcp message had not arrived");
  await tcpPull.receive();
  seen.push("tcp");
  await inproc;
  for (const s of [tcpPush, tcpPull, push, pull]) s.close();
}

/** One run of `shape` with the tcp receive's message answered as `late`: the order of resumptions and the points asked. */
async function order(look: boolean, late: number): Promise<{ order: string; asked: number }> {
  const seen: string[] = [];
  // `late` at every "on-its-way" point (1: the message was still on its way), 0 everywhere else.
  const selector = answering((point) => (point.candidates[1]?.key === "on-its-way" ? late : 0));
  const report = await runInterleaved(() => shape(seen, look), { zmq: z, selector });
  expect(report.label).toBe("ok");
  return { order: seen.join(", "), asked: selector.asked.filter((k) => k === "on-its-way").length };
}

describe("a receive over tcp that found its message at once may have found it on its way (R25)", () => {
  it("answered arrived, the tcp receive resumes in its turn, before the inproc receive; answered on its way, it is held and the inproc receive goes first", async () => {
    expect(await order(false, 0)).toEqual({ order: "tcp, inproc", asked: 2 });
    expect(await order(false, 1)).toEqual({ order: "inproc, tcp", asked: 2 });
  });

  it("after `readable` read true, the answer is not used: the tcp receive completes at once", async () => {
    expect(await order(true, 1)).toEqual({ order: "tcp, inproc", asked: 2 });
  });

  it("the point is asked for every receive over the network, at once or not (a replay meets the same points however the real timing went), and for none over inproc", async () => {
    const selector = answering(() => 0);
    const report = await runInterleaved(async () => {
      const pull = new z.Pull();
      await pull.bind("tcp://127.0.0.1:*");
      const push = new z.Push();
      push.connect(pull.lastEndpoint ?? "");
      // Waits (nothing sent yet), then a second one after the message of the first came.
      const first = pull.receive();
      await push.send("one");
      await first;
      await push.send("two");
      await pull.receive();
      push.close();
      pull.close();
    }, { zmq: z, selector });
    expect(report.label).toBe("ok");
    expect(selector.asked.filter((k) => k === "on-its-way")).toEqual(["on-its-way", "on-its-way"]);
  });
});
