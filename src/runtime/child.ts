import { writeSync } from "node:fs";
import { createModel } from "../model/model.js";
import { EXIT_MARK, type ChildMessage, type ChildRequest } from "./isolate.js";
import { resolveRunOptions } from "./options.js";
import { runInProcess } from "./run.js";

/**
 * Entry of the child process of an isolated run. Unguarded: runs the interleaving with
 * fire-and-forget rejections left unhandled and no teardown, streams what happens, and then
 * lets the process end (or crash, or hang) the way the binding makes it. Guarded (a run sent
 * here for want of file descriptors): runs it as the parent would, teardown included.
 */

function send(m: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(m, () => resolve());
  });
}

async function serve(req: ChildRequest): Promise<void> {
  const guarded = req.mode === "guarded";
  const o = resolveRunOptions({ mode: req.mode, model: createModel({ disabled: req.disabled }), stepTimeoutMs: req.stepTimeoutMs, timeLimitMs: req.timeLimitMs, isolate: "never" });
  try {
    const result = await runInProcess(req.interleaving, o, {
      mode: guarded ? "handled" : "raw",
      teardown: guarded,
      onEvent: (e) => void send(e.kind === "event" ? { t: "event", event: e.event } : { t: "violation", violation: e.violation }),
    });
    await send({ t: "result", result });
  } catch (err) {
    await send({ t: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  process.disconnect?.();
}

process.on("exit", () => {
  writeSync(2, `\n${EXIT_MARK}\n`);
});
process.once("message", (m: ChildRequest) => {
  void serve(m);
});
