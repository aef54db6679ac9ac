import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Op, OpResult } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { STEP_RULES, type Violation } from "../../src/model/verdict.js";
import { renderTimeline } from "../../src/report/text.js";
import { EXAMPLES, inv, modelRun, ret, squash } from "./fixtures.js";

/** The lines between the lane rule (`────`/`----`) and the verdict: one per row. */
function rowLines(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^(────|----)  /.test(l));
  const end = lines.findIndex((l, i) => i > start && /^(✓|✗|■|≠|\+|X|!) /.test(l));
  return lines.slice(start + 1, end);
}

describe("renderTimeline", () => {
  it("draws busy-recv: lanes, the pending bar left open, the refused step, the sentence and the replay line", () => {
    expect(renderTimeline(modelRun(EXAMPLES["busy-recv"]))).toBe(
      [
        "scenario: ownership by thread, inproc transport",
        "sockets: s0 pull, owner main/t0, bind e0",
        "step  main/t0           main/t1",
        "────  ────────────────  ─────────────────────────",
        "   0  ┌─ s0.receive()",
        "   1  │                 ✗ busy-recv: s0.receive()",
        "      ┆ never returned",
        "✗ busy-recv at step 1 by main/t1: main/t1 called receive() on s0 while main/t0's receive() (step",
        '  0) was still pending; zeromq.js throws EBUSY "Socket is busy reading". Receive from a single task',
        "  (owner main/t0) and hand messages to the others.",
        'replay: verdict=busy-recv interleaving="zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule"',
      ].join("\n"),
    );
  });

  it("draws the same in plain ASCII", () => {
    const text = renderTimeline({ ...modelRun(EXAMPLES["busy-recv"]), seed: -1234, path: "0:1:2" }, { ascii: true });
    expect(text).toBe(
      [
        "scenario: ownership by thread, inproc transport",
        "sockets: s0 pull, owner main/t0, bind e0",
        "step  main/t0           main/t1",
        "----  ----------------  -------------------------",
        "   0  +- s0.receive()",
        "   1  |                 X busy-recv: s0.receive()",
        "      : never returned",
        "X busy-recv at step 1 by main/t1: main/t1 called receive() on s0 while main/t0's receive() (step",
        '  0) was still pending; zeromq.js throws EBUSY "Socket is busy reading". Receive from a single task',
        "  (owner main/t0) and hand messages to the others.",
        'replay: seed=-1234 path="0:1:2" verdict=busy-recv interleaving="zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule"',
      ].join("\n"),
    );
  });

  it("uses only ASCII characters in ASCII mode, for every example and long payloads", () => {
    for (const text of Object.values(EXAMPLES)) {
      // eslint-disable-next-line no-control-regex
      expect(renderTimeline(modelRun(text), { ascii: true })).toMatch(/^[\x20-\x7e\n]*$/);
    }
    const long = modelRun(`zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "${"y".repeat(40)}" | schedule`);
    const text = renderTimeline(long, { ascii: true });
    expect(text).toContain(`s1.send("${"y".repeat(13)}...")`);
    expect(text).not.toContain("…");
  });

  it("draws an ok run: invoke and return rows, the bar closed, a check mark", () => {
    expect(renderTimeline(modelRun(EXAMPLES.ok), { replayLine: false })).toBe(
      [
        "scenario: ownership by thread, inproc transport",
        "sockets: s0 pull, owner main/t0, bind e0 │ s1 push, owner main/t1, connect e0",
        "step  main/t0          main/t1",
        "────  ───────────────  ───────────────",
        "   0  ┌─ s0.receive()",
        "   1  │                ┌─ s1.send(\"x\")",
        "      │                └─ ok",
        "      └─ \"x\" from s1",
        "✓ ok: every step was legal and no op was left pending; the process can exit.",
      ].join("\n"),
    );
  });

  it("draws exit-hang: sequential ops each invoke and return, then the hang in words", () => {
    expect(renderTimeline(modelRun(EXAMPLES["exit-hang"]))).toBe(
      [
        "scenario: ownership by thread, tcp transport",
        "sockets: s0 pull, owner main/t0, bind e0 │ s1 push, owner main/t0, connect e0",
        "step  main/t0",
        "────  ───────────────",
        "   0  ┌─ s0.close()",
        "      └─ ok",
        "   1  ┌─ s1.send(\"x\")",
        "      └─ ok",
        "   2  ┌─ s1.send(\"y\")",
        "      └─ ok",
        "■ exit-hang: s1 still queues 1 message for a peer that is gone and has linger -1, so the process",
        '  cannot exit ("Waiting for queued ZeroMQ messages to be delivered"). Set linger to 0 or a finite',
        "  time on sockets that may outlive their peers.",
        'replay: verdict=exit-hang interleaving="zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 | main/t0: close s0, send s1 \\"x\\", send s1 \\"y\\" | schedule"',
      ].join("\n"),
    );
  });

  it("draws stuck: the op that never returns keeps its bar open to the end", () => {
    const text = renderTimeline(modelRun(EXAMPLES.stuck));
    expect(rowLines(text)).toEqual(["   0  ┌─ s0.receive()", "      ┆ never returned"]);
    expect(text).toContain("■ stuck: main/t0's receive() (step 0) on s0 is still pending after every program ended;");
  });

  it.each(STEP_RULES.map((r) => [r]))("marks the refused step of %s with the rule, in the actor's lane, and prints its sentence", (rule) => {
    const input = modelRun(EXAMPLES[rule]);
    const v = input.verdict as Violation;
    expect(v.rule).toBe(rule);
    const text = renderTimeline(input, { width: 200 });
    const lines = text.split("\n");
    const header = lines[2] ?? "";
    const refused = lines.find((l) => l.includes(`✗ ${rule}: `)) ?? "";
    // The mark sits in the acting actor's column: at its first free bar slot, or after its bars.
    const name = v.actor.thread === 0 ? `main/t${v.actor.task}` : `w${v.actor.thread}/t${v.actor.task}`;
    const at = refused.indexOf("✗");
    expect(at - header.indexOf(name)).toBeGreaterThanOrEqual(0);
    expect(at - header.indexOf(name)).toBeLessThanOrEqual(2);
    expect(text).toContain(`✗ ${rule} at step ${v.step} by ${name}: `);
    expect(squash(text)).toContain(squash(v.message));
    expect(lines.at(-1)).toMatch(new RegExp(`^replay: verdict=${rule} interleaving="zi1 `));
  });

  // Hand-written histories below: the renderer is under test, not the schedule walker.
  const recv = (socket: string, nowait = false): Op => ({ kind: "recv", socket, nowait });
  const send = (socket: string, payload: string, nowait = false): Op => ({ kind: "send", socket, payload, nowait });
  const done: OpResult = { kind: "done" };
  const msg = (payload: string, from: string): OpResult => ({ kind: "message", payload, from });

  it("leaves every pending bar open down to the last row", () => {
    const interleaving = parseInterleaving(
      'zi1 thread inproc | s0 pull main/t0 bind e0 | s2 pull main/t1 bind e1 | s3 push main/t1 connect e1 | main/t0: recv s0 | main/t1: send s3 "a", recv s2, send s3 "b", recv s2 | schedule 0 1',
    );
    const history = [
      inv(0, "main/t0", 0, recv("s0")),
      inv(1, "main/t1", 0, send("s3", "a")),
      ret(1, "main/t1", 0, done),
      inv(2, "main/t1", 1, recv("s2")),
      ret(2, "main/t1", 1, msg("a", "s3")),
      inv(3, "main/t1", 2, send("s3", "b")),
      ret(3, "main/t1", 2, done),
    ];
    const rows = rowLines(renderTimeline({ interleaving, history, verdict: { kind: "stuck", message: "main/t0's receive() never returns." } }));
    expect(rows).toHaveLength(history.length + 1);
    const col = rows[0]?.indexOf("┌") ?? -1;
    expect(col).toBeGreaterThan(0);
    expect(rows.slice(1, -1).every((l) => l[col] === "│")).toBe(true);
    expect(rows.at(-1)).toBe("      ┆ never returned");
  });

  it("gives an actor with several pending ops one bar slot each, and names the op a return answers", () => {
    const interleaving = parseInterleaving(
      'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | s2 pull main/t0 bind e1 | s3 push main/t1 connect e1 | main/t0: void recv s0, recv s2 | main/t1: send s1 "b", send s3 "a" | schedule 0 0 1',
    );
    const history = [
      inv(0, "main/t0", 0, recv("s0", true)),
      inv(1, "main/t0", 1, recv("s2")),
      inv(2, "main/t1", 0, send("s1", "b")),
      ret(2, "main/t1", 0, done),
      ret(2, "main/t0", 0, msg("b", "s1")),
      inv(3, "main/t1", 1, send("s3", "a")),
      ret(3, "main/t1", 1, done),
      ret(3, "main/t0", 1, msg("a", "s3")),
    ];
    expect(rowLines(renderTimeline({ interleaving, history, verdict: { kind: "ok" } }))).toEqual([
      "   0  ┌── void s0.receive()",
      "   1  │┌─ s2.receive()",
      "   2  ││                                   ┌─ s1.send(\"b\")",
      "      ││                                   └─ ok",
      "      └┼─ \"b\" from s1 (void s0.receive())",
      "   3   │                                   ┌─ s3.send(\"a\")",
      "       │                                   └─ ok",
      "       └─ \"a\" from s3",
    ]);
  });

  it("cuts long payloads with an ellipsis, in ops and in received messages", () => {
    const long = "p".repeat(50);
    const input = modelRun(`zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "${long}" | schedule`);
    const text = renderTimeline(input, { replayLine: false });
    expect(text).toContain(`s1.send("${"p".repeat(15)}…")`);
    expect(text).toContain(`"${"p".repeat(15)}…" from s1`);
    expect(text).not.toContain(long);
    expect(renderTimeline(input, { maxPayload: 4, replayLine: false })).toContain('s1.send("ppp…")');
    // The replay line keeps the payload whole: it must reproduce the run.
    expect(renderTimeline(input).split("\n").at(-1)).toContain(long);
  });

  it("fits four actors in 100 columns, cutting labels with an ellipsis where needed", () => {
    const z = "z".repeat(37);
    const interleaving = parseInterleaving(
      `zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push w1/t0 connect e0 | s2 pull w2/t0 bind e1 | s3 push w3/t0 connect e1 | main/t0: void recv s0, recv s0 | w1/t0: void send s1 "x", send s1 "y" | w2/t0: recv s2 | w3/t0: send s3 "${z}" | schedule`,
    );
    const history = [
      inv(0, "main/t0", 0, recv("s0", true)),
      inv(1, "w1/t0", 0, send("s1", "x", true)),
      ret(1, "w1/t0", 0, done),
      ret(1, "main/t0", 0, msg("x", "s1")),
      inv(2, "w2/t0", 0, recv("s2")),
      inv(3, "main/t0", 1, recv("s0")),
      inv(4, "w3/t0", 0, send("s3", z)),
      ret(4, "w3/t0", 0, done),
      ret(4, "w2/t0", 0, msg(z, "s3")),
      inv(5, "w1/t0", 1, send("s1", "y")),
      ret(5, "w1/t0", 1, done),
      ret(5, "main/t0", 1, msg("y", "s1")),
    ];
    const input = { interleaving, history, verdict: { kind: "ok" } };
    const lines = renderTimeline(input).split("\n");
    expect(lines[3]).toBe("step  main/t0               w1/t0                 w2/t0                     w3/t0");
    expect(lines).toContain("   4  │                                           │                         ┌─ s3.send(\"zzzzzzzzzzz…");
    for (const l of lines.slice(0, -1)) expect(Array.from(l).length).toBeLessThanOrEqual(100);
    // A narrower width narrows the lanes too.
    for (const l of renderTimeline(input, { width: 72, replayLine: false }).split("\n")) expect(Array.from(l).length).toBeLessThanOrEqual(72);
  });

  it("marks where a real run diverged from the model and what the model expected", () => {
    const model = modelRun(EXAMPLES.ok);
    const real = model.history.slice(0, 2);
    const text = renderTimeline({
      interleaving: model.interleaving,
      history: real,
      verdict: { kind: "diverged", message: "main/t1's s1.send(\"x\") did not return although the model says it completes at once." },
      divergedAt: 2,
      predicted: model.history,
    });
    const rows = rowLines(text);
    // main/t1's send is pending (its slot is busy), so the mark goes after the bar.
    expect(rows).toEqual([
      "   0  ┌─ s0.receive()",
      "   1  │                 ┌─ s1.send(\"x\")",
      "      │                 │ ≠ the real run stopped here; model expected main/t1 → ok",
      "      ┆ never returned  ┆ never returned",
    ]);
    expect(text).toContain("≠ diverged: main/t1's s1.send(\"x\") did not return");
    expect(text.split("\n").at(-1)).toMatch(/^replay: verdict=diverged /);
  });

  it("shows a run with no events, and a wider verdict kind with no message", () => {
    const x = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: | schedule");
    const text = renderTimeline({ interleaving: x, ...checkInterleaving(x) });
    expect(text).toContain("(no events)");
    const unknown = renderTimeline({ interleaving: x, history: [], verdict: { kind: "unknown" } });
    expect(unknown).toContain("≠ unknown: the run ended with verdict unknown.");
  });
});
