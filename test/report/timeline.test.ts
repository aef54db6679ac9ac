import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { buildTimeline } from "../../src/report/timeline.js";
import { EXAMPLES, inv, modelRun, ret } from "./fixtures.js";

describe("buildTimeline", () => {
  it("lays busy-recv out as lanes in actor order, an open bar and a refused row", () => {
    const t = buildTimeline({ ...modelRun(EXAMPLES["busy-recv"]), seed: 1 });
    expect(t.scenario).toBe("ownership by thread, inproc transport");
    expect(t.sockets).toEqual(["s0 pull, owner main/t0, bind e0"]);
    expect(t.lanes).toEqual([
      { actor: { thread: 0, task: 0 }, name: "main/t0", slots: 1 },
      { actor: { thread: 0, task: 1 }, name: "main/t1", slots: 1 },
    ]);
    expect(t.rows).toEqual([
      { kind: "invoke", step: 0, lane: 0, slot: 0, label: "s0.receive()", note: null, event: 0 },
      { kind: "refused", step: 1, lane: 1, slot: 0, label: "s0.receive()", note: "busy-recv", event: null },
    ]);
    expect(t.bars).toEqual([{ lane: 0, slot: 0, from: 0, to: null, label: "s0.receive()" }]);
    expect(t.verdict.tone).toBe("violation");
    expect(t.verdict.headline).toBe("busy-recv at step 1 by main/t1");
    expect(t.replay).toBe(`replay: seed=1 verdict=busy-recv interleaving=${JSON.stringify(EXAMPLES["busy-recv"])}`);
  });

  it("closes bars at their return and reuses freed slots", () => {
    const t = buildTimeline(modelRun(EXAMPLES["exit-hang"]));
    expect(t.bars).toEqual([
      { lane: 0, slot: 0, from: 0, to: 1, label: "s0.close()" },
      { lane: 0, slot: 0, from: 2, to: 3, label: 's1.send("x")' },
      { lane: 0, slot: 0, from: 4, to: 5, label: 's1.send("y")' },
    ]);
    expect(t.lanes[0]?.slots).toBe(1);
    expect(t.verdict).toMatchObject({ tone: "end", headline: "exit-hang" });
  });

  it("gives each verdict kind its tone", () => {
    const tones = Object.fromEntries(Object.entries(EXAMPLES).map(([k, text]) => [k, buildTimeline(modelRun(text)).verdict.tone]));
    expect(tones).toMatchObject({ ok: "ok", stuck: "end", "exit-hang": "end", "busy-recv": "violation", "foreign-owner": "violation" });
    const x = parseInterleaving(EXAMPLES.stuck);
    expect(buildTimeline({ interleaving: x, history: [], verdict: { kind: "unknown", message: "the time limit ran out" } }).verdict).toEqual({
      tone: "other",
      headline: "unknown",
      sentence: "the time limit ran out",
    });
  });

  it("adds a lane for an actor that appears only in the history", () => {
    const x = parseInterleaving(EXAMPLES.stuck);
    const t = buildTimeline({ interleaving: x, history: [inv(0, "w2/t1", 0, { kind: "exit" }), ret(0, "w2/t1", 0, { kind: "done" })], verdict: { kind: "diverged" } });
    expect(t.lanes.map((l) => l.name)).toEqual(["main/t0", "w2/t1"]);
    expect(t.rows.map((r) => r.lane)).toEqual([1, 1]);
  });

  it("puts the divergence row before the first differing event, in the lane the model expected", () => {
    const model = modelRun(EXAMPLES.ok);
    const t = buildTimeline({ interleaving: model.interleaving, history: model.history, verdict: { kind: "diverged" }, divergedAt: 1, predicted: model.history });
    expect(t.rows.map((r) => r.kind)).toEqual(["invoke", "diverged", "invoke", "return", "return"]);
    expect(t.rows[1]).toMatchObject({ lane: 1, step: 1, note: 'model expected main/t1 s1.send("x")' });
    // Bars still point at the right rows around the inserted one.
    expect(t.bars.map((b) => [b.from, b.to])).toEqual([
      [0, 4],
      [2, 3],
    ]);
  });
});
