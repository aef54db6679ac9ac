import { MessageChannel, Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";

// DESIGN.md: a handoff to another thread is impossible in zeromq.js. Here is why, for real.
describe("a zeromq.js socket cannot cross threads", () => {
  it("postMessage(socket) delivers an empty object", async () => {
    const sock = new zmq.Pull();
    const { port1, port2 } = new MessageChannel();
    try {
      const got = new Promise<unknown>((resolve) => port2.once("message", resolve));
      port1.postMessage(sock);
      const value = await got;
      expect(value).toEqual({});
      expect(value).not.toBeInstanceOf(zmq.Pull);
    } finally {
      port1.close();
      port2.close();
      sock.close();
    }
  });

  it("a transfer list refuses it with ERR_INVALID_TRANSFER_OBJECT", () => {
    const sock = new zmq.Pull();
    const { port1, port2 } = new MessageChannel();
    try {
      let code: unknown;
      try {
        port1.postMessage(sock, [sock as never]);
      } catch (err) {
        code = (err as { code?: unknown }).code;
      }
      expect(code).toBe("ERR_INVALID_TRANSFER_OBJECT");
    } finally {
      port1.close();
      port2.close();
      sock.close();
    }
  });

  it("and a worker receives `{}` in workerData", async () => {
    const sock = new zmq.Push();
    const w = new Worker(`const { parentPort, workerData } = require("node:worker_threads"); parentPort.postMessage(Object.keys(workerData.s).length + ":" + typeof workerData.s.send);`, { eval: true, workerData: { s: sock } });
    try {
      const got = await new Promise((resolve) => w.once("message", resolve));
      expect(got).toBe("0:undefined");
    } finally {
      await w.terminate();
      sock.close();
    }
  });
});
