import { describe, expect, it } from "vitest";
import { InvalidOptionsError, ParseError } from "../../src/errors.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { createModel } from "../../src/model/model.js";
import { replay } from "../../src/report/replay.js";
import { formatReplay, ReplayLineError } from "../../src/report/replayLine.js";
import { renderTimeline } from "../../src/report/text.js";
import { EXAMPLES, modelRun } from "./fixtures.js";

const lineOf = (label: keyof typeof EXAMPLES, verdict?: string) =>
  formatReplay({ seed: 1, path: "0", ...(verdict === undefined ? {} : { verdict }), interleaving: parseInterleaving(EXAMPLES[label]) });

describe("replay", () => {
  it("reproduces a failure from the last line of its timeline", async () => {
    const text = renderTimeline({ ...modelRun(EXAMPLES["busy-recv"]), seed: 9, path: "1:2" });
    const r = await replay(text.split("\n").at(-1) ?? "");
    expect(r.kind).toBe("reproduced");
    if (r.kind !== "reproduced") return;
    expect(r.expected).toBe("busy-recv");
    expect(r.verdict.kind === "violation" && r.verdict.rule).toBe("busy-recv");
    // The model's full result comes back, ready to draw again.
    expect(renderTimeline({ interleaving: r.interleaving, ...r.result, seed: 9, path: "1:2" })).toBe(text);
  });

  it("says different when the verdict is not the expected one", async () => {
    const r = await replay(lineOf("stuck", "busy-recv"));
    expect(r).toMatchObject({ kind: "different", expected: "busy-recv", got: { kind: "stuck" } });
  });

  it("without an expected label, any failing verdict reproduces and ok does not", async () => {
    expect((await replay(lineOf("exit-hang"))).kind).toBe("reproduced");
    expect((await replay(EXAMPLES["teardown-while-pending"])).kind).toBe("reproduced");
    const ok = await replay(EXAMPLES.ok);
    expect(ok.kind).toBe("different");
    expect(ok).not.toHaveProperty("expected");
  });

  it("lets options.expected override the line, and options.model pick the model", async () => {
    expect((await replay(lineOf("busy-recv", "busy-recv"), { expected: "stuck" })).kind).toBe("different");
    const lax = createModel({ disabled: ["busy-recv"] });
    const r = await replay(lineOf("busy-recv", "busy-recv"), { model: lax });
    expect(r.kind).toBe("different");
    if (r.kind === "different") expect(r.got.kind).not.toBe("violation");
  });

  it("runs through a plugged-in runner, awaiting it, with its wider verdicts", async () => {
    const seen: Interleaving[] = [];
    const run = async (x: Interleaving) => {
      seen.push(x);
      await Promise.resolve();
      return { verdict: { kind: "diverged", message: "the real receive never returned" }, realHistory: [] as const };
    };
    const r = await replay(lineOf("busy-recv", "busy-recv"), { run });
    expect(seen).toEqual([parseInterleaving(EXAMPLES["busy-recv"])]);
    expect(r).toMatchObject({ kind: "different", expected: "busy-recv", got: { kind: "diverged" } });
    const same = await replay(lineOf("busy-recv", "diverged"), { run });
    expect(same.kind).toBe("reproduced");
    if (same.kind === "reproduced") expect(same.result.realHistory).toEqual([]);
  });

  it("rejects unreadable input with typed errors", async () => {
    await expect(replay("hello")).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(replay("replay: seed=x interleaving=\"zi1\"")).rejects.toBeInstanceOf(ReplayLineError);
    await expect(replay("zi1 thread inproc | oops")).rejects.toBeInstanceOf(ParseError);
  });
});
