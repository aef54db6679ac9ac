// Worker thread body for teardown.test.ts: a guarded Pull with a pending receive, then an exit.
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { createGuardContext } from "../../../src/guard/context.js";
import { guard } from "../../../src/guard/guard.js";
import { OwnershipError } from "../../../src/guard/ownership-error.js";
import { guardedExit, installTeardownCheck } from "../../../src/guard/teardown.js";

const ctx = createGuardContext();
const raw = new zmq.Pull({ linger: 0 });
const pull = guard(raw, { context: ctx, name: "wpull" });
await raw.bind(`inproc://teardown-${process.pid}`);
const pending = pull.receive().catch(() => undefined);
await new Promise((r) => setImmediate(r));
if (workerData === "guarded") {
  try {
    guardedExit(ctx, 0);
  } catch (err) {
    parentPort?.postMessage({ rule: OwnershipError.is(err) ? err.rule : "none", message: (err as Error).message });
  }
  pull.close();
  await pending;
  guardedExit(ctx, 0);
} else {
  installTeardownCheck(ctx);
  process.exit(0);
}
