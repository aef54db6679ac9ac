import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving, checkPrepared } from "../../src/model/check.js";
import { createModel, kitEngineRules, zeromqModel, type Model } from "../../src/model/model.js";
import { prepareInterleaving } from "../../src/model/prepared.js";
import { actorKey } from "../../src/model/state.js";

const X = parseInterleaving(
  'zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull w1/t1 connect e0 | main/t0: void send s0 "a", send s0 "b", poll s0 writable | w1/t1: recv s1, close s1, exit | schedule 1',
);

describe("prepareInterleaving", () => {
  it("lists each program's actor, and each op's socket and whether it ends the turn", () => {
    const p = prepareInterleaving(X);
    expect(p.actors).toEqual([{ thread: 0, task: 0 }, { thread: 1, task: 1 }]);
    expect(p.keys).toEqual([actorKey({ thread: 0, task: 0 }), actorKey({ thread: 1, task: 1 })]);
    expect(p.threads).toEqual([0, 1]);
    expect(p.starts).toEqual([0, 3, 6]);
    expect(p.ops).toEqual([...(X.programs[0]?.ops ?? []), ...(X.programs[1]?.ops ?? [])]);
    expect(p.sockets).toEqual([0, 0, 0, 1, 1, -1]);
    // A fire-and-forget send and a getter go on; an awaited send or receive and an exit end the turn.
    expect(p.ends).toEqual([false, true, false, true, false, true]);
  });

  it("throws for a socket the scenario does not declare", () => {
    const bad = { ...X, programs: [{ actor: { thread: 0, task: 0 }, ops: [{ kind: "close", socket: "s9" }] }] } as const;
    expect(() => prepareInterleaving(bad)).toThrow(/unknown socket s9/);
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

  it("checkPrepared refuses a model that is not the kit's own", () => {
    expect(() => checkPrepared(X, prepareInterleaving(X), { ...zeromqModel }, null)).toThrow(/createModel/);
  });
});
