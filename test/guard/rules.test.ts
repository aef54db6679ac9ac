import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { createGuardContext } from "../../src/guard/context.js";
import { guard, handoff, rawSocket } from "../../src/guard/guard.js";
import { OwnershipError } from "../../src/guard/ownership-error.js";
import { endpoint, pushPull, turn, unhandled } from "./helpers.js";

/** Calls `fn`, expects an OwnershipError for `rule`, returns it. */
function refused(fn: () => unknown, rule: string): OwnershipError {
  try {
    fn();
  } catch (err) {
    expect(OwnershipError.is(err)).toBe(true);
    const e = err as OwnershipError;
    expect(e.code).toBe("OWNERSHIP");
    expect(e.rule).toBe(rule);
    expect(e.message.startsWith(`[${rule}] `)).toBe(true);
    expect(e.message).toMatch(/was created by (main|w\d+)\/t0 at .*(rules\.test|helpers)\.ts:\d+:\d+/);
    expect(e.message).toMatch(/[ (]test\/guard\//); // relative to the working directory
    return e;
  }
  throw new Error(`expected ${rule}, but the call went through`);
}

describe("guard: one test per rule of the model table", () => {
  it("foreign-owner (ownership task): another task's send is refused before the real call", async () => {
    const t = await pushPull({ ownership: "task" });
    try {
      await t.ctx.task("intruder", async () => {
        const e = refused(() => t.push.send("x"), "foreign-owner");
        expect(e.message).toContain('main/t1 called send("x") on push, which task main/t0 owns (ownership: task)');
        expect(e.message).toContain("tasks: main/t1 (intruder)");
        expect(e.caller).toEqual({ thread: process.env.VITEST_POOL_ID === undefined ? 0 : e.caller.thread, task: 1 });
      });
      // The owner still can.
      await t.push.send("y");
      expect(String(await t.pull.receive())).toBe("y");
    } finally {
      t.close();
    }
  });

  it("foreign-owner (ownership thread): a socket owned by another thread is refused", async () => {
    const raw = new zmq.Push({ linger: 0 });
    const push = guard(raw, { name: "w1push", owner: { thread: 99, task: 0 } });
    try {
      const e = refused(() => push.send("x"), "foreign-owner");
      expect(e.message).toContain("which belongs to thread w99");
      expect(e.owner).toEqual({ thread: 99, task: 0 });
    } finally {
      raw.close();
    }
  });

  it("busy-send: a second send while one is pending (no peer, so the first waits)", async () => {
    const raw = new zmq.Push({ linger: 0 });
    const push = guard(raw, { name: "lonely" });
    try {
      const first = push.send("a");
      await turn();
      const e = refused(() => push.send("b"), "busy-send");
      expect(e.message).toContain(`main/t0 called send("b") on lonely while main/t0's send("a") (step 0) was still pending; zeromq.js throws EBUSY "Socket is busy writing"`);
      expect(e.other?.op.kind).toBe("send");
      // zeromq.js refused the call itself: its EBUSY is the cause.
      expect(e.cause).toMatchObject({ code: "EBUSY", message: expect.stringContaining("Socket is busy writing") as unknown });
      const outcome = first.then(
        () => "sent",
        (err: { code?: string }) => err.code,
      );
      push.close();
      expect(await outcome).toBe("EAGAIN");
    } finally {
      raw.close();
    }
  });

  it("busy-recv: a second receive while one is pending", async () => {
    const t = await pushPull();
    try {
      const first = t.pull.receive();
      await turn();
      const e = refused(() => t.pull.receive(), "busy-recv");
      expect(e.message).toContain(`main/t0 called receive() on pull while main/t0's receive() (step 0) was still pending; zeromq.js throws EBUSY "Socket is busy reading"`);
      expect(e.cause).toMatchObject({ code: "EBUSY", message: expect.stringContaining("Socket is busy reading") as unknown });
      await t.push.send("m");
      expect(String(await first)).toBe("m");
      // Once it settled, the next receive is legal again.
      const second = t.pull.receive();
      await t.push.send("n");
      expect(String(await second)).toBe("n");
    } finally {
      t.close();
    }
  });

  it("busy-send in the window of the 513th op, which zeromq.js defers (zeromq.js#406): its own EBUSY becomes the typed error", async () => {
    const t = await pushPull();
    try {
      for (let i = 0; i < 512; i++) await t.push.send(`m${i}`); // immediate: each resolves at once
      const deferred = t.push.send("m512"); // the 513th is deferred to the next loop turn
      const e = refused(() => t.push.send("m513"), "busy-send");
      expect(e.message).toContain(`main/t0 called send("m513") on push while main/t0's send("m512") (step 512) was still pending`);
      await deferred;
      await t.push.send("m513");
      for (let i = 0; i < 514; i++) expect(String(await t.pull.receive())).toBe(`m${i}`);
      expect(t.ctx.violations.map((v) => v.rule)).toEqual(["busy-send"]);
    } finally {
      t.close();
    }
  });

  it("lost-wakeup: reading readable or writable while a receive is pending throws before the getter", async () => {
    const t = await pushPull();
    try {
      const pending = t.pull.receive();
      const e = refused(() => t.pull.readable, "lost-wakeup");
      expect(e.message).toContain("main/t0 read pull.readable while main/t0's receive() (step 0) was pending");
      refused(() => t.pull.writable, "lost-wakeup");
      // The wakeup was not consumed: the receive still resolves.
      await t.push.send("still here");
      expect(String(await pending)).toBe("still here");
      expect(t.pull.readable).toBe(false);
    } finally {
      t.close();
    }
  });

  it("a socket that reads readable watches its receives: lost-wakeup and unobserved-rejection are still found", async () => {
    const listener = unhandled();
    const t = await pushPull();
    try {
      expect(t.pull.readable).toBe(false); // from here on, receives get a counting reaction
      const first = t.pull.receive();
      refused(() => t.pull.readable, "lost-wakeup");
      await t.push.send("a");
      expect(String(await first)).toBe("a");
      expect(t.pull.readable).toBe(false);
      await t.push.send("b");
      expect(t.pull.readable).toBe(true);
      expect(String(await t.pull.receive())).toBe("b");
      // A fire-and-forget receive closed under: Node reports the promise the caller got.
      const lost = t.pull.receive();
      t.pull.close();
      await turn();
      expect(listener.seen[0]?.promise).toBe(lost);
      expect(OwnershipError.is(listener.seen[0]?.reason)).toBe(true);
      expect(t.ctx.violations.map((v) => v.rule)).toEqual(["lost-wakeup", "unobserved-rejection"]);
    } finally {
      listener.dispose();
      t.close();
    }
  });

  it("use-after-close: send, receive, subscribe and readable after close throw before the real call; close again is a no-op", async () => {
    const t = await pushPull();
    const sub = guard(new zmq.Subscriber({ linger: 0 }), { context: t.ctx, name: "sub" });
    t.push.close();
    t.pull.close();
    sub.close();
    const e = refused(() => t.push.send("late"), "use-after-close");
    expect(e.message).toContain('main/t0 called send("late") on push after it was closed at step');
    refused(() => t.pull.receive(), "use-after-close");
    refused(() => sub.subscribe("a"), "use-after-close");
    refused(() => t.pull.readable, "use-after-close");
    expect(() => t.pull.close()).not.toThrow();
  });

  it("unobserved-rejection: void receive() then close(): the close goes through, and Node's report of the rejection becomes the typed error", async () => {
    const listener = unhandled();
    const t = await pushPull();
    try {
      const lost = t.pull.receive();
      t.pull.close();
      expect(rawSocket(t.pull).closed).toBe(true);
      await turn();
      // The typed error first, then (a plain listener cannot be spared it) the raw rejection.
      expect(listener.seen.map((u) => u.promise)).toEqual([lost, lost]);
      const e = listener.seen[0]?.reason;
      expect(OwnershipError.is(e)).toBe(true);
      const err = e as OwnershipError;
      expect(err.rule).toBe("unobserved-rejection");
      expect(err.message).toContain("main/t0's close() on pull rejects main/t0's void receive() (step 0) with EAGAIN, and that fire-and-forget op has no handler");
      expect(err.cause).toBe(listener.seen[1]?.reason);
      expect(err.cause).toMatchObject({ code: "EAGAIN" });
      expect(t.ctx.violations).toEqual([err]);
    } finally {
      listener.dispose();
      t.close();
    }
  });

  it("unobserved-rejection is not raised for awaited or caught ops: close ends them with EAGAIN", async () => {
    const t = await pushPull();
    try {
      const awaited = (async () => {
        try {
          await t.pull.receive();
          return "message";
        } catch (err) {
          return (err as { code?: string }).code;
        }
      })();
      const lonely = guard(new zmq.Push({ linger: 0 }), { context: t.ctx, name: "lonely" });
      const caught = lonely.send("x").catch(() => "rejected");
      await turn();
      t.pull.close();
      lonely.close();
      expect(await awaited).toBe("EAGAIN");
      await caught;
      expect(t.ctx.violations).toEqual([]);
    } finally {
      t.close();
    }
  });

  it("a for await loop ends when another task closes the socket", async () => {
    const t = await pushPull();
    try {
      const got: string[] = [];
      const loop = t.ctx.task("listener", async () => {
        for await (const [m] of t.pull) got.push(String(m));
      });
      await t.push.send("1");
      await t.push.send("2");
      while (got.length < 2) await turn();
      await turn();
      t.pull.close();
      await loop;
      expect(got).toEqual(["1", "2"]);
      expect(t.ctx.violations).toEqual([]);
    } finally {
      t.close();
    }
  });

  it("handoff-across-threads and handoff-while-pending; a quiescent handoff moves ownership", async () => {
    const t = await pushPull({ ownership: "task" });
    try {
      refused(() => handoff(t.pull, { thread: 42, task: 0 }), "handoff-across-threads");
      const pending = t.pull.receive();
      const worker = t.ctx.tasks.reserve("worker");
      const e = refused(() => handoff(t.pull, worker), "handoff-while-pending");
      expect(e.message).toMatch(/main\/t0 handed pull to main\/t1 while main\/t0's receive\(\) \(step \d+\) was pending/);
      await t.push.send("m");
      await pending;
      handoff(t.pull, worker);
      refused(() => t.pull.receive(), "foreign-owner");
      // The new owner receives; the push stays with main/t0.
      const got = t.ctx.task(worker, async () => String(await t.pull.receive()));
      await t.push.send("n");
      expect(await got).toBe("n");
    } finally {
      t.close();
    }
  });

  it("the 513th consecutive immediate op is deferred by zeromq.js; awaited, it stays legal", async () => {
    const t = await pushPull();
    try {
      for (let i = 0; i < 600; i++) {
        await t.push.send(`m${i}`);
        await t.pull.receive();
      }
      expect(t.ctx.violations).toEqual([]);
    } finally {
      t.close();
    }
  });

  it("two tasks sharing a socket under thread ownership: an immediate send is not pending for the other task", async () => {
    const t = await pushPull();
    try {
      await Promise.all([t.ctx.task("a", () => t.push.send("a")), t.ctx.task("b", () => t.push.send("b"))]);
      const got = [String(await t.pull.receive()), String(await t.pull.receive())].sort();
      expect(got).toEqual(["a", "b"]);
      expect(t.ctx.violations).toEqual([]);
    } finally {
      t.close();
    }
  });

  it("a fire-and-forget op that rejects unobserved (receive timeout) goes to onViolation and is raised in place of the raw rejection", async () => {
    const listener = unhandled();
    const warnings: string[] = [];
    const ctx = createGuardContext({ onViolation: (e) => warnings.push(e.rule) });
    const raw = new zmq.Pull({ linger: 0, receiveTimeout: 1 });
    const pull = guard(raw, { context: ctx });
    await raw.bind(endpoint());
    try {
      const lost = pull.receive();
      await new Promise((r) => setTimeout(r, 30));
      expect(warnings).toEqual(["unobserved-rejection"]);
      expect(ctx.violations[0]?.rule).toBe("unobserved-rejection");
      expect(ctx.violations[0]?.message).toContain("main/t0's void receive() on pull1 rejects main/t0's void receive() (step 0) with EAGAIN");
      expect(listener.seen[0]).toEqual({ reason: ctx.violations[0], promise: lost });
    } finally {
      listener.dispose();
      pull.close();
    }
  });
});
