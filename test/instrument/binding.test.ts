import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import zmqDefault from "zeromq";
import { describe, expect, it, vi } from "vitest";
import { runInterleaved } from "../../src/instrument/run.js";
import { endpoint } from "../guard/helpers.js";

vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));

// Made at module load, outside any run.
const early = new zmq.Pull({ linger: 0 });

describe("the whole zeromq module, instrumented", () => {
  it("the default import is the instrumented module, and every export of zeromq is there", async () => {
    expect(zmqDefault.Pull).toBe(zmq.Pull);
    for (const name of ["capability", "context", "curveKeyPair", "version", "Context", "Socket", "Observer", "Proxy", "Stream"]) expect(name in zmq).toBe(true);
    const report = await runInterleaved(
      async () => {
        const pull = new zmqDefault.Pull({ linger: 0 });
        await pull.bind(endpoint());
        pull.close();
      },
      { zmq },
    );
    expect(report.label).toBe("ok");
    expect(report.history.length).toBe(2);
  });

  it("a socket made outside the run and used in it makes the run unknown, naming it and what to do", async () => {
    const report = await runInterleaved(
      async () => {
        await early.bind(endpoint());
        void early.readable;
      },
      { zmq },
    );
    expect(report.label).toBe("unknown");
    expect(report.text.replace(/\s+/g, " ")).toMatch(/pull1, created at .*binding\.test\.ts:\d+:\d+ before the run started .* Create the socket inside the function under test/);
    early.close();
  });

  it("ipc endpoints are named as such, and binary frames (a Router's routing id) print as hex", async () => {
    const report = await runInterleaved(
      async ({ zmq: z }) => {
        const address = `ipc://${join(tmpdir(), `zi-${process.pid}-${Date.now()}.sock`)}`;
        const router = new z.Router({ linger: 0 });
        await router.bind(address);
        const dealer = new z.Dealer({ linger: 0, routingId: Buffer.from([0, 0x80, 0xf3]) as unknown as string });
        dealer.connect(address);
        await dealer.send("hi");
        const [id, body] = await router.receive();
        expect(String(body)).toBe("hi");
        expect(id).toBeInstanceOf(Buffer);
        dealer.close();
        router.close();
      },
      { zmq },
    );
    expect(report.label).toBe("ok");
    expect(report.text).toContain("ipc transport");
    expect(report.text).toContain('"0x0080f3|hi"');
  });
});
