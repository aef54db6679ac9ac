import fc from "fast-check";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { createGuardContext } from "../../src/guard/context.js";
import { guard } from "../../src/guard/guard.js";
import { endpoint } from "./helpers.js";

/** One legal step of a single owner on a Push→Pull pair: every op awaited, receive only when a message is queued. */
type Step = { readonly kind: "send"; readonly payload: string } | { readonly kind: "recv" } | { readonly kind: "poll"; readonly event: "readable" | "writable" };

const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("send" as const), payload: fc.string({ maxLength: 4 }) }),
    fc.constant({ kind: "recv" as const }),
    fc.record({ kind: fc.constant("poll" as const), event: fc.constantFrom("readable" as const, "writable" as const) }),
  ),
  { maxLength: 25 },
);

/** How the pair is used: unguarded, guarded lean (a plain context), or guarded tracked (history on). */
type Mode = "raw" | "lean" | "tracked";

/** Runs the steps on a fresh pair in `mode` and returns what each op returned. */
async function execute(program: readonly Step[], mode: Mode): Promise<string[]> {
  const guarded = mode !== "raw";
  const rawPush = new zmq.Push({ linger: 0 });
  const rawPull = new zmq.Pull({ linger: 0 });
  const ep = endpoint();
  await rawPull.bind(ep);
  rawPush.connect(ep);
  const ctx = createGuardContext({ history: mode === "tracked" });
  const push = guarded ? guard(rawPush, { context: ctx }) : rawPush;
  const pull = guarded ? guard(rawPull, { context: ctx }) : rawPull;
  const out: string[] = [];
  let queued = 0;
  try {
    for (const step of program) {
      if (step.kind === "send") {
        await push.send(step.payload);
        queued++;
        out.push("sent");
      } else if (step.kind === "recv") {
        if (queued === 0) continue; // a receive with nothing queued would wait forever: not a legal end
        out.push(`got ${String(await pull.receive())}`);
        queued--;
      } else out.push(`${step.event}=${String(step.event === "readable" ? pull.readable && queued > 0 : push.writable)}`);
    }
    while (queued > 0) {
      out.push(`drained ${String(await pull.receive())}`);
      queued--;
    }
  } finally {
    push.close();
    pull.close();
  }
  if (guarded) expect(ctx.violations).toEqual([]);
  return out;
}

describe("guard: legal code behaves the same guarded and unguarded", () => {
  it("a single owner's awaited sends, receives and polls give identical results (lean and tracked guards)", async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (program) => {
        const raw = await execute(program, "raw");
        expect(await execute(program, "lean")).toEqual(raw);
        expect(await execute(program, "tracked")).toEqual(raw);
      }),
      { numRuns: 40 },
    );
  });
});
