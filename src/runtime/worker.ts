import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { decodeToWorker, serializeError, type FromWorker } from "./protocol.js";
import { SocketHost } from "./host.js";

/**
 * Entry of a pooled worker thread: one socket host per run, served over the protocol.
 * A run ends with `close-all`; the next request with a new run id gets a fresh host.
 */

function serve(port: MessagePort, mode: "handled" | "raw"): void {
  let run = -1;
  let host: SocketHost | null = null;
  const post = (m: FromWorker) => port.postMessage(m);
  const onMessage = (data: unknown): void => {
    const msg = decodeToWorker(data);
    if (msg.t === "exit") {
      const code = msg.code;
      const exit = () => process.exit(code);
      void (host?.prepareExit() ?? Promise.resolve()).then(exit, exit);
      return;
    }
    if (msg.t === "release") {
      port.off("message", onMessage);
      port.unref();
      return;
    }
    if (msg.run !== run || host === null) {
      run = msg.run;
      const current = run;
      host = new SocketHost((completion) => post({ t: "completion", run: current, completion }), mode);
    }
    host.handle(msg.body).then(
      (value) => post({ t: "reply", id: msg.id, ok: true, value }),
      (err: unknown) => post({ t: "reply", id: msg.id, ok: false, error: serializeError(err) }),
    );
  };
  port.on("message", onMessage);
  post({ t: "ready" });
}

if (parentPort === null) throw new Error("runtime/worker must run in a worker thread");
serve(parentPort, workerData === "raw" ? "raw" : "handled");
