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
import type { ShutdownCase, Step } from "./cases.js";
import type { PubSide, SubEvents, SubSide } from "./sides.js";

/** The two ends of the pair and, when one lives in a worker, its host. */
interface Ends {
  readonly pub: PubSide;
  readonly sub: SubSide;
  readonly host: WorkerHost | undefined;
}

function mark(name: string): void {
  emit({ kind: "mark", name, at: epochNow() });
}

/** Reports the subscriber's delivered count to the parent whenever it changes. */
function reporting(counter: DeliveryCounter): SubEvents {
  let delivered = 0;
  return {
    frame: (kind) => counter.record(0, kind),
    delivered: (count) => {
      if (count === delivered) return;
      delivered = count;
      emit({ kind: "value", name: "delivered", value: count });
    },
  };
}

function ends(c: ShutdownCase, events: SubEvents): Ends {
  const kind = c.pair === "xpub-sub" ? "xpub" : "pub";
  switch (c.placement) {
    case "sub-in-worker": {
      const host = new WorkerHost({ side: "sub", linger: c.linger, pending: c.pending === "sub" }, events);
      return { host, sub: new RemoteSub(host), pub: new LocalPub(kind, c.linger, c.pending === "xpub") };
    }
    case "pub-in-worker": {
      const host = new WorkerHost({ side: "pub", kind, linger: c.linger, reader: c.pending === "xpub" }, events);
      return { host, pub: new RemotePub(host), sub: new LocalSub(c.linger, c.pending === "sub", events) };
    }
    case "main":
      return { host: undefined, pub: new LocalPub(kind, c.linger, c.pending === "xpub"), sub: new LocalSub(c.linger, c.pending === "sub", events) };
  }
}

async function step(s: Step, c: ShutdownCase, e: Ends): Promise<void> {
  switch (s) {
    case "close-pub":
      return e.pub.close();
    case "close-sub":
      await e.sub.finish(c.quietMs);
      return;
    case "exit-worker":
      await e.host?.terminate();
      return;
  }
}

async function main(): Promise<void> {
  exitWhenOrphaned();
  const c = parseShutdownCase(process.argv[2]);
  process.on("exit", () => mark("exit-event"));
  const counter = new DeliveryCounter(1);
  const e = ends(c, reporting(counter));
  try {
    await e.sub.open(await e.pub.open());
    const joined = e.sub.join();
    await proveJoin((frame) => e.pub.publish(frame), counter, 10_000, 2);
    await joined;
    mark("joined");
    await e.pub.sendData(c.messages, c.size);
  } catch (err) {
    console.error(`setup failed: ${describeError(err)}`);
    mark("setup-failed");
    process.exit(3);
  }
  mark("shutdown");
  for (const s of c.order) {
    mark(`step:${s}`);
    await step(s, c, e);
    await nextTurn();
  }
  mark("done");
}

await main();
