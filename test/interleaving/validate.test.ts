import { describe, expect, it } from "vitest";
import { InvalidInterleavingError, KitError } from "../../src/errors.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { interleavingProblems, validateInterleaving } from "../../src/interleaving/validate.js";

const good = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 \"x\" | schedule 1");
const json = () => JSON.parse(JSON.stringify(good)) as Record<string, any>;

function problemsAfter(edit: (x: Record<string, any>) => void): string[] {
  const x = json();
  edit(x);
  return interleavingProblems(x).map((p) => `${p.path}: ${p.message}`);
}

describe("interleavingProblems", () => {
  it("accepts a valid interleaving", () => {
    expect(interleavingProblems(good)).toEqual([]);
  });
  const cases: Array<[string, (x: Record<string, any>) => void, RegExp]> = [
    ["a non-object", (x) => Object.assign(x, { scenario: 3 }), /^scenario: must be an object/],
    ["an unknown socket type", (x) => (x.scenario.sockets[0].type = "stream"), /sockets\[0\]\.type: unknown socket type "stream"; use one of pair, pub/],
    ["an unknown transport", (x) => (x.scenario.transport = "ipc"), /scenario\.transport: unknown transport "ipc"; use "inproc" or "tcp"/],
    ["an unknown ownership", (x) => (x.scenario.ownership = "process"), /scenario\.ownership: must be "thread" or "task"/],
    ["a duplicate socket id", (x) => (x.scenario.sockets[1].id = "s0"), /duplicate socket id "s0"/],
    ["a bad socket id", (x) => (x.scenario.sockets[1].id = "S 1"), /sockets\[1\]\.id: must match/],
    ["an owner that does not exist", (x) => (x.scenario.sockets[0].owner = { thread: 2, task: 0 }), /owner: w2\/t0 does not exist; every owner needs a program/],
    ["a negative task", (x) => (x.scenario.sockets[0].owner = { thread: 0, task: -1 }), /owner: is not an actor/],
    ["a linger below -1", (x) => (x.scenario.sockets[0].linger = -5), /linger: must be an integer >= -1/],
    ["subscriptions on a pull", (x) => (x.scenario.sockets[0].subscriptions = ["a"]), /a pull socket cannot subscribe/],
    ["two binders", (x) => (x.scenario.sockets[1].role = "bind"), /needs exactly one socket that binds, found 2/],
    ["no binder", (x) => (x.scenario.sockets[0].role = "connect"), /needs exactly one socket that binds, found 0/],
    ["incompatible types", (x) => (x.scenario.sockets[1].type = "sub"), /s1 \(sub\) cannot connect to s0 \(pull\)/],
    ["an op on an undeclared socket", (x) => (x.programs[0].ops[0].socket = "s9"), /ops\[0\]\.socket: "s9" is not a declared socket/],
    ["a receive on a push", (x) => (x.programs[1].ops[0] = { kind: "recv", socket: "s1", nowait: false }), /s1 is a push socket, which cannot receive/],
    ["a send on a pull", (x) => (x.programs[0].ops[0] = { kind: "send", socket: "s0", payload: "a", nowait: false }), /s0 is a pull socket, which cannot send/],
    ["an unknown op", (x) => (x.programs[0].ops[0] = { kind: "fork" }), /unknown op "fork"/],
    ["a control character in a payload", (x) => (x.programs[1].ops[0].payload = "a\u0000b"), /payload: the payload contains a control character/],
    ["a missing nowait", (x) => delete x.programs[1].ops[0].nowait, /nowait: must be a boolean/],
    ["exit on the main thread", (x) => (x.programs[0].ops[0] = { kind: "exit" }), /an actor on the main thread cannot exit/],
    ["a handoff to nobody", (x) => (x.programs[0].ops[0] = { kind: "handoff", socket: "s0", to: { thread: 0, task: 7 } }), /main\/t7 does not exist/],
    ["a to on a non-router send", (x) => (x.programs[1].ops[0].to = "s0"), /only router sends name a peer/],
    ["two programs for one actor", (x) => (x.programs[1].actor = { thread: 0, task: 0 }), /main\/t0 has two programs/],
    ["a negative schedule choice", (x) => (x.schedule = [0, -1]), /schedule\[1\]: must be a non-negative integer, got -1/],
    ["a fractional schedule choice", (x) => (x.schedule = [0.5]), /schedule\[0\]: must be a non-negative integer/],
  ];
  for (const [what, edit, message] of cases) {
    it(`reports ${what}`, () => {
      expect(problemsAfter(edit).join("\n")).toMatch(message);
    });
  }
  it("reports a router send without a linked peer", () => {
    const x = parseInterleaving("zi1 thread inproc | s0 router main/t0 bind e0 | s1 dealer main/t0 connect e0 | main/t0: send s0 \"a\" to s1 | schedule");
    const bad = JSON.parse(JSON.stringify(x));
    bad.programs[0].ops[0].to = "s0";
    expect(interleavingProblems(bad).map((p) => p.message).join()).toMatch(/a router send needs "to"/);
  });
  it("reports a load-balancing binder with two peers", () => {
    const problems = interleavingProblems(JSON.parse(JSON.stringify({ ...good, scenario: { ...good.scenario, sockets: [{ ...good.scenario.sockets[1], id: "p", role: "bind" }, { ...good.scenario.sockets[0], id: "a", role: "connect" }, { ...good.scenario.sockets[0], id: "b", role: "connect" }] }, programs: good.programs.map((p) => ({ ...p, ops: [] })) })));
    expect(problems.map((p) => p.message).join()).toMatch(/would load-balance over 2 peers/);
  });
  it("throws a typed error listing every problem", () => {
    const x = json();
    x.scenario.transport = "udp";
    x.schedule = [-1];
    let err: unknown;
    try {
      validateInterleaving(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInterleavingError);
    expect(KitError.is(err)).toBe(true);
    expect((err as InvalidInterleavingError).problems).toHaveLength(2);
    expect((err as Error).message).toMatch(/does not validate \(2 problems\)/);
  });
});
