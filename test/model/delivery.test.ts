import { describe, expect, it } from "vitest";
import type { ActorId, HistoryEvent, Op, OpResult } from "../../src/interleaving/types.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkDelivery } from "../../src/model/delivery.js";
import { run } from "../helpers.js";

const A: ActorId = { thread: 0, task: 0 };
const B: ActorId = { thread: 0, task: 1 };

/** A history written by hand: each entry is an op and its result, invoked and returned at once. */
function history(...items: Array<[ActorId, Op, OpResult]>): HistoryEvent[] {
  const counts = new Map<number, number>();
  return items.flatMap(([actor, op, result], step) => {
    const index = counts.get(actor.task) ?? 0;
    counts.set(actor.task, index + 1);
    return [
      { kind: "invoke", step, actor, index, op },
      { kind: "return", step, actor, index, result },
    ];
  });
}

const pushPull = parseInterleaving("zi1 thread inproc | s0 pull main/t1 bind e0 | s1 push main/t0 connect e0 | main/t0: | main/t1: | schedule").scenario;
const pubSub = parseInterleaving('zi1 thread inproc | s0 pub main/t0 bind e0 | s1 sub main/t1 connect e0 topic="a" | main/t0: | main/t1: | schedule').scenario;
const send = (socket: string, payload: string): Op => ({ kind: "send", socket, payload, nowait: false });
const recv = (socket: string): Op => ({ kind: "recv", socket, nowait: false });
const done: OpResult = { kind: "done" };
const msg = (payload: string, from: string): OpResult => ({ kind: "message", payload, from });

function kinds(v: ReturnType<typeof checkDelivery>): string[] {
  return v.kind === "ok" ? [] : v.problems.map((p) => p.kind);
}

describe("checkDelivery", () => {
  it("accepts in-order delivery", () => {
    expect(checkDelivery(pushPull, history([A, send("s1", "a"), done], [A, send("s1", "b"), done], [B, recv("s0"), msg("a", "s1")], [B, recv("s0"), msg("b", "s1")]))).toEqual({ kind: "ok" });
  });
  it("finds a phantom", () => {
    expect(kinds(checkDelivery(pushPull, history([B, recv("s0"), msg("z", "s1")])))).toEqual(["phantom"]);
  });
  it("finds a duplicate", () => {
    expect(kinds(checkDelivery(pushPull, history([A, send("s1", "a"), done], [B, recv("s0"), msg("a", "s1")], [B, recv("s0"), msg("a", "s1")])))).toEqual(["duplicate"]);
  });
  it("finds a gap or reorder (FIFO, loss in the middle)", () => {
    const v = checkDelivery(pushPull, history([A, send("s1", "a"), done], [A, send("s1", "b"), done], [B, recv("s0"), msg("b", "s1")]));
    expect(kinds(v)).toEqual(["fifo"]);
    expect(v.kind === "broken" && v.problems[0]?.message).toContain('s1 sent "a" to it first');
  });
  it("finds a message its subscriptions should have filtered", () => {
    expect(kinds(checkDelivery(pubSub, history([A, send("s0", "b1"), done], [B, recv("s1"), msg("b1", "s0")])))).toEqual(["filtered"]);
    expect(kinds(checkDelivery(pubSub, history([A, send("s0", "a1"), done], [B, recv("s1"), msg("a1", "s0")])))).toEqual([]);
  });
  it("finds a loss at the end: a receive waits while a message sent to it never arrived", () => {
    const h: HistoryEvent[] = [...history([A, send("s1", "a"), done]), { kind: "invoke", step: 1, actor: B, index: 0, op: recv("s0") }];
    expect(kinds(checkDelivery(pushPull, h))).toEqual(["loss"]);
  });
  it("does not expect delivery to a closed receiver", () => {
    const h = history([B, { kind: "close", socket: "s0" }, done], [A, send("s1", "a"), done]);
    expect(checkDelivery(pushPull, h)).toEqual({ kind: "ok" });
  });
  it("expects XPUB subscription frames from subscribe, unsubscribe and a subscriber's close", () => {
    const r = run('zi1 thread inproc | s0 xpub main/t0 bind e0 | s1 sub main/t1 connect e0 topic="a" | main/t0: recv s0, recv s0, recv s0 | main/t1: subscribe s1 "b", unsubscribe s1 "b", close s1 | schedule');
    const payloads = r.history.flatMap((e) => (e.kind === "return" && e.result.kind === "message" ? [e.result.payload] : []));
    expect(payloads).toEqual(["\u0001b", "\u0000b", "\u0000a"]);
    expect(checkDelivery(r.state.topology.scenario, r.history)).toEqual({ kind: "ok" });
  });
  it("routes REQ/REP replies and ROUTER sends to the right peer", () => {
    const r = run('zi1 thread inproc | s0 rep main/t0 bind e0 | s1 req main/t1 connect e0 | s2 req main/t2 connect e0 | s3 router main/t0 bind e1 | s4 dealer main/t1 connect e1 | main/t0: recv s0, send s0 "r1", recv s0, send s0 "r2", send s3 "x" to s4 | main/t1: send s1 "q1", recv s1, recv s4 | main/t2: send s2 "q2", recv s2 | schedule');
    expect(r.verdict.kind).toBe("ok");
    expect(checkDelivery(r.state.topology.scenario, r.history)).toEqual({ kind: "ok" });
  });
});
