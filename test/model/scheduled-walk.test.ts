import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving, checkScheduled } from "../../src/model/check.js";
import { createModel, kitEngineRules, zeromqModel, type Model } from "../../src/model/model.js";

const X = parseInterleaving(
  'zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull w1/t1 connect e0 | main/t0: void send s0 "a", send s0 "b", poll s0 writable | w1/t1: recv s1, close s1, exit | schedule 1',
);

describe("walkSchedule", () => {
  it("ends a turn after an awaited op and an exit, not after a fire-and-forget send, a getter or a close", () => {
    const r = checkInterleaving(X);
    // Schedule 1 starts w1/t1 (recv: pends, its turn ends); main/t0 goes on past its
    // fire-and-forget send to the awaited one, whose turn end lets the receive take "a"; the
    // one choice left is taken at the next turn start, where both can run.
    const invokes = r.history.filter((e) => e.kind === "invoke").map((e) => `${e.actor.thread}/${e.actor.task}#${e.index}`);
    expect(invokes).toEqual(["1/1#0", "0/0#0", "0/0#1", "0/0#2", "1/1#1", "1/1#2"]);
    expect(r.steps).toBe(6);
    expect(r.trace.schedule).toEqual([1, 0]);
  });

  it("tells apart actors whose keys are equal as int32 values (an unvalidated interleaving)", () => {
    // Thread 65536 task 0 has key 2^32, which is 0 as an int32: the key of main/t0.
    const x = parseInterleaving('zi1 thread inproc | s0 push w1/t0 bind e0 | s1 pull main/t0 connect e0 | main/t0: recv s1 | w1/t0: send s0 "a" | schedule 0');
    const far = { thread: 65536, task: 0 };
    const y = {
      ...x,
      scenario: { ...x.scenario, sockets: x.scenario.sockets.map((s) => (s.id === "s0" ? { ...s, owner: far } : s)) },
      programs: x.programs.map((p) => (p.actor.thread === 1 ? { ...p, actor: far } : p)),
    };
    const direct = checkInterleaving(y, { validate: false });
    const walked = checkInterleaving(y, { validate: false, model: { ...zeromqModel } });
    expect(direct.verdict.kind).toBe("ok");
    expect(direct.steps).toBe(2);
    expect([direct.verdict, direct.steps, direct.trace]).toEqual([walked.verdict, walked.steps, walked.trace]);
  });

  it("throws for a socket the scenario does not declare", () => {
    const bad = { ...X, programs: [{ actor: { thread: 0, task: 0 }, ops: [{ kind: "close", socket: "s9" }] }] } as const;
    expect(() => checkInterleaving(bad, { validate: false })).toThrow(/unknown socket s9/);
  });
});

describe("which models a check steps directly", () => {
  it("the kit's own model records, and no copy of one", () => {
    expect(kitEngineRules(zeromqModel)).toBe(zeromqModel.rules);
    const off = createModel({ disabled: ["lost-wakeup"] });
    expect(kitEngineRules(off)?.has("lost-wakeup")).toBe(false);
    expect(kitEngineRules({ ...zeromqModel })).toBeNull();
  });

  it("a copy of a model with a function of its own is checked through that function", () => {
    const own: Model = {
      ...zeromqModel,
      stepInPlace: () => {
        throw new TypeError("own step");
      },
    };
    expect(() => checkInterleaving(X, { model: own })).toThrow("own step");
    expect(checkInterleaving(X).steps).toBe(6);
  });

  it("checkScheduled refuses a model that is not the kit's own", () => {
    expect(() => checkScheduled(X, { ...zeromqModel }, null)).toThrow(/createModel/);
  });
});
