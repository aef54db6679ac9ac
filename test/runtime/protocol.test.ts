import { describe, expect, it } from "vitest";
import { InvalidOptionsError, KitError } from "../../src/errors.js";
import { decodeFromWorker, decodeToWorker, reviveError, serializeError } from "../../src/runtime/protocol.js";

describe("the worker protocol", () => {
  it("serializes a kit error and revives it with its code, across a structured clone", () => {
    const sent = structuredClone(serializeError(new InvalidOptionsError("bad thing")));
    const back = reviveError(sent, "worker thread w1");
    expect(KitError.is(back)).toBe(true);
    expect((back as KitError).code).toBe("INVALID_OPTIONS");
    expect(back.message).toBe("bad thing");
    expect(back.stack).toContain("revived from worker thread w1");
  });
  it("keeps a binding error's errno name", () => {
    const err = Object.assign(new Error("Socket is busy reading"), { code: "EBUSY" });
    const back = reviveError(structuredClone(serializeError(err)), "worker thread w2");
    expect((back as { code?: string }).code).toBe("EBUSY");
    expect(back.message).toContain("(in worker thread w2)");
  });
  it("serializes anything thrown", () => {
    expect(serializeError("plain")).toEqual({ name: "Error", code: null, message: "plain", stack: null });
  });
  it("rejects messages that are not part of it", () => {
    expect(() => decodeFromWorker({ t: "hello" })).toThrow(/unexpected message from a worker/);
    expect(() => decodeToWorker(null)).toThrow(/unexpected message to a worker/);
    expect(decodeToWorker({ t: "release" })).toEqual({ t: "release" });
  });
});
