import { describe, expect, it } from "vitest";
import { decode, encode, encodeProbe, incoming, outgoing } from "../../src/runtime/wire.js";

describe("wire frames", () => {
  it("carries the sender after the payload and reads both back", () => {
    expect(decode("pull", encode("a|b,c", "s3"))).toEqual({ kind: "message", payload: "a|b,c", from: "s3" });
    expect(decode("sub", encode("", "s0"))).toEqual({ kind: "message", payload: "", from: "s0" });
  });
  it("keeps a probe's topic first so PUB/SUB filtering lets it through", () => {
    const frame = encodeProbe("ab", 7, "s1");
    expect(frame.startsWith("ab")).toBe(true);
    expect(decode("sub", frame)).toEqual({ kind: "probe", seq: 7, from: "s1" });
  });
  it("reads XPUB subscription frames as they are", () => {
    expect(decode("xpub", "\u0001topic")).toEqual({ kind: "subscription", payload: "\u0001topic" });
    expect(decode("xpub", "\u0000topic")).toEqual({ kind: "subscription", payload: "\u0000topic" });
  });
  it("reports a frame no program sent", () => {
    expect(decode("pull", "plain")).toEqual({ kind: "foreign", raw: "plain" });
  });
  it("adds the envelopes each pairing needs", () => {
    expect(outgoing("router", "f", "s2", "req")).toEqual(["s2", "", "f"]);
    expect(outgoing("router", "f", "s2", "dealer")).toEqual(["s2", "f"]);
    expect(outgoing("dealer", "f", undefined, "rep")).toEqual(["", "f"]);
    expect(outgoing("push", "f", undefined, "pull")).toEqual(["f"]);
  });
  it("takes the last frame as the message, and a ROUTER's first as the routing id", () => {
    expect(incoming("router", [Buffer.from("s4"), Buffer.from(""), Buffer.from("body")])).toEqual({ frame: "body", routingId: "s4" });
    expect(incoming("dealer", [Buffer.from(""), Buffer.from("body")])).toEqual({ frame: "body", routingId: null });
  });
});
