/**
 * Child process entry: runs one shutdown case (JSON in argv[2]) and lets the process end
 * however it ends. The parent measures from the "shutdown" mark to the process's end and
 * kills it at its time limit; marks say how far it got ("exit-event" fires before libzmq
 * waits for lingering messages, so a hang after it is a linger hang).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { DeliveryCounter } from "../rig/delivery.js";
import { describeError } from "../rig/errors.js";
import { proveJoin } from "../rig/join.js";
import { exitWhenOrphaned } from "../rig/orphan.js";
import { emit, epochNow } from "../rig/protocol.js";
import { parseShutdownCase } from "./cases.js";
import { RemotePub, RemoteSub, WorkerHost } from "./remote.js";
import { LocalPub, LocalSub } from "./sides.js";
import type { PubSide, SubEvents, SubSide } from "./sides.js";
import type { Step } from "./cases.js";

exitWhenOrphaned();
const c = parseShutdownCase(process.argv[2]);
const mark = (name: string): void => emit({ kind: "mark", name, at: epochNow() });

const counter = new DeliveryCounter(1);
let delivered = 0;
const events: SubEvents = {
  frame: (kind) => counter.record(0, kind),
  delivered: (count) => {
    if (count === delivered) return;
    delivered = count;
    emit({ kind: "value", name: "delivered", value: count });
  },
};
process.on("exit", () => mark("exit-event"));

const kind = c.pair === "xpub-sub" ? "xpub" : "pub";
let host: WorkerHost | undefined;
let pub: PubSide;
let sub: SubSide;
if (c.placement === "sub-in-worker") {
  host = new WorkerHost({ side: "sub", linger: c.linger, pending: c.pending === "sub" }, events);
  sub = new RemoteSub(host);
  pub = new LocalPub(kind, c.linger, c.pending === "xpub");
} else if (c.placement === "pub-in-worker") {
  host = new WorkerHost({ side: "pub", kind, linger: c.linger, reader: c.pending === "xpub" }, events);
  pub = new RemotePub(host);
  sub = new LocalSub(c.linger, c.pending === "sub", events);
} else {
  pub = new LocalPub(kind, c.linger, c.pending === "xpub");
  sub = new LocalSub(c.linger, c.pending === "sub", events);
}

try {
  const address = await pub.open();
  await sub.open(address);
  const joined = sub.join();
  await proveJoin((frame) => pub.publish(frame), counter, 10_000, 2);
  await joined;
  mark("joined");
  await pub.sendData(c.messages, c.size);
} catch (err) {
  console.error(`setup failed: ${describeError(err)}`);
  mark("setup-failed");
  process.exit(3);
}

const run = async (step: Step): Promise<void> => {
  switch (step) {
    case "close-pub":
      return pub.close();
    case "close-sub":
      await sub.finish(c.quietMs);
      return;
    case "exit-worker":
      await host?.terminate();
      return;
  }
};

mark("shutdown");
for (const step of c.order) {
  mark(`step:${step}`);
  await run(step);
  await nextTurn();
}
mark("done");
