import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveConstraints, type InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { programsFor, scenarios } from "../../src/arbitraries/scenarios.js";
import { schedules } from "../../src/arbitraries/schedules.js";
import { InvalidOptionsError, KitError } from "../../src/errors.js";
import { interleavingProblems } from "../../src/interleaving/validate.js";

describe("resolveConstraints", () => {
  const bad: Array<[InterleavingConstraints, RegExp]> = [
    [{ threads: 0 }, /constraints\.threads must be an integer from 1 to 64, got 0/],
    [{ tasksPerThread: -2 }, /constraints\.tasksPerThread must be an integer from 1/],
    [{ maxOps: -1 }, /constraints\.maxOps must be an integer from 0/],
    [{ maxOps: 2.5 }, /constraints\.maxOps must be an integer/],
    [{ minOps: 4, maxOps: 3 }, /constraints\.minOps must be an integer from 0 to 3/],
    [{ threads: 2, minThreads: 3 }, /constraints\.minThreads must be an integer from 1 to 2/],
    [{ socketTypes: [] }, /must list at least one socket type/],
    [{ socketTypes: ["stream" as never] }, /unknown socket type "stream"/],
    [{ weights: { jump: 1 } as never }, /unknown op kind "jump"/],
    [{ weights: { send: -1 } }, /weights\.send must be a finite number >= 0/],
    [{ weights: { send: 0, recv: 0, poll: 0, close: 0, subscribe: 0, unsubscribe: 0, handoff: 0, exit: 0 } }, /are all 0/],
    [{ ownership: "maybe" as never }, /constraints\.ownership must be one of "respect", "violate", "any"/],
    [{ transport: "ipc" as never }, /constraints\.transport must be one of "inproc", "tcp", "any"/],
    [{ nowait: 1.5 }, /constraints\.nowait\.send is a probability from 0 to 1/],
    [{ ownership: "respect", nowait: 0.2 }, /nowait must be 0 with ownership "respect"/],
    [{ nowait: { send: 2 } }, /constraints\.nowait\.send is a probability/],
    [{ topics: [] }, /topics must be a non-empty list/],
  ];
  for (const [c, message] of bad) {
    it(`rejects ${JSON.stringify(c)}`, () => {
      let err: unknown;
      try {
        resolveConstraints(c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidOptionsError);
      expect(KitError.is(err) && err.code).toBe("INVALID_OPTIONS");
      expect((err as Error).message).toMatch(message);
    });
  }
  it("raises the error when the arbitrary is made, before anything runs", () => {
    expect(() => interleavings({ threads: -1 })).toThrow(InvalidOptionsError);
  });
});

describe("generated values keep to their constraints", () => {
  it("threads, tasks, ops, types, nowait", () => {
    const c: InterleavingConstraints = { threads: 2, tasksPerThread: 3, maxOps: 4, socketTypes: ["push", "pull"], nowait: 0 };
    for (const x of fc.sample(interleavings(c), { numRuns: 300, seed: 2 })) {
      expect(new Set(x.programs.map((p) => p.actor.thread)).size).toBeLessThanOrEqual(2);
      for (const p of x.programs) {
        expect(p.actor.task).toBeLessThan(3);
        expect(p.ops.length).toBeLessThanOrEqual(4);
        for (const op of p.ops) if (op.kind === "send" || op.kind === "recv") expect(op.nowait).toBe(false);
      }
      for (const s of x.scenario.sockets) expect(["push", "pull"]).toContain(s.type);
    }
  });
  it("respect: each actor touches only sockets it owns, awaits everything, closes last, never hands off", () => {
    for (const x of fc.sample(interleavings({ ownership: "respect", threads: 2, tasksPerThread: 2 }), { numRuns: 300, seed: 4 })) {
      for (const p of x.programs) {
        const closed = new Set<string>();
        for (const op of p.ops) {
          expect(op.kind).not.toBe("handoff");
          if (op.kind === "exit") continue;
          const owner = x.scenario.sockets.find((s) => s.id === op.socket)?.owner;
          expect(owner).toEqual(p.actor);
          expect(closed.has(op.socket)).toBe(false);
          if (op.kind === "close") closed.add(op.socket);
          if (op.kind === "send" || op.kind === "recv") expect(op.nowait).toBe(false);
        }
      }
    }
  });
  it("weights of 0 never draw that op", () => {
    for (const x of fc.sample(interleavings({ weights: { poll: 0, close: 0 } }), { numRuns: 200, seed: 5 })) {
      for (const p of x.programs) for (const op of p.ops) expect(["poll", "close"]).not.toContain(op.kind);
    }
  });
  it("the per-part arbitraries compose into valid interleavings", () => {
    const arb = scenarios({ threads: 2 }).chain((cast) => programsFor(cast, {}).map((programs) => ({ scenario: cast.scenario, programs })));
    for (const v of fc.sample(fc.tuple(arb, schedules()), { numRuns: 200, seed: 6 })) {
      expect(interleavingProblems({ ...v[0], schedule: v[1] })).toEqual([]);
    }
  });
  it("schedules shrink toward zeros", () => {
    const r = fc.check(fc.property(schedules({ maxLength: 10 }), (s) => s.filter((c) => c !== 0).length < 2), { seed: 1 });
    expect(r.counterexample?.[0]).toEqual([1, 1]);
  });
});
