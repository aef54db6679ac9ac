/**
 * Worker entry: hosts one end of a shutdown pair (see protocol.ts) and runs the main
 * thread's requests on it. It never exits by itself; the case ends it with terminate().
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../rig/errors.js";
import { LocalPub, LocalSub } from "./sides.js";
import { decodeRequest } from "./protocol.js";
import type { Hosted, Request, WorkerMessage } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("shutdown/worker.ts must run in a worker thread");
const post = (message: WorkerMessage): void => port.postMessage(message);
const hosted = workerData as Hosted;

const pub = hosted.side === "pub" ? new LocalPub(hosted.kind, hosted.linger, hosted.reader) : undefined;
const sub =
  hosted.side === "sub"
    ? new LocalSub(hosted.linger, hosted.pending, {
        frame: (kind) => post({ type: "frame", kind }),
        delivered: (count) => post({ type: "delivered", count }),
      })
    : undefined;

async function handle(request: Request): Promise<string | number | null> {
  switch (request.op) {
    case "open":
      if (pub !== undefined) return pub.open();
      await sub?.open(request.address);
      return null;
    case "publish":
      await pub?.publish(Buffer.from(request.frame));
      return null;
    case "send-data":
      await pub?.sendData(request.count, request.size);
      return null;
    case "join":
      await sub?.join();
      return null;
    case "close":
      if (pub !== undefined) {
        await pub.close();
        return null;
      }
      return sub === undefined ? null : sub.finish(request.quietMs);
  }
}

port.on("message", (value: unknown) => {
  let request: Request;
  try {
    request = decodeRequest(value);
  } catch (err) {
    post({ type: "error", id: -1, message: describeError(err) });
    return;
  }
  handle(request).then(
    (result) => post({ type: "reply", id: request.id, value: result }),
    (err: unknown) => post({ type: "error", id: request.id, message: describeError(err) }),
  );
});
