import { KitError } from "../errors.js";
import { verdictLabel } from "../model/verdict.js";
import { replay } from "../report/replay.js";
import { renderTimeline } from "../report/text.js";
import { runInterleaving } from "../runtime/executor.js";
import { describeOutcome } from "../zoo/scenario-entry.js";
import type { Writer } from "./io.js";
import { UsageError } from "./usage-error.js";

/** Longest the real run of a replayed line may take before its child process is killed (a hang). */
const REAL_RUN_TIME_LIMIT_MS = 10_000;

/** What a replay reports: whether the model reproduced the line's verdict. */
export type ReplayOutcome = "reproduced" | "different";

/**
 * `--replay LINE`: reads a replay line (or a bare `zi1 ...` interleaving), replays it through
 * the model and prints the timeline, then runs it on real sockets, unguarded, in a child
 * process with a time limit, and says what the binding did to the process. A replay line of
 * user code (`schedule=[...]`, from `itInterleaves`) carries no interleaving: that is a usage
 * error that says how to replay it instead.
 */
export async function replayCommand(line: string, out: Writer): Promise<ReplayOutcome> {
  const text = line.trim();
  if (text.startsWith("replay:") && !/\binterleaving=/.test(text)) {
    throw new UsageError(
      "bad-value",
      /\bschedule=\[/.test(text)
        ? "this replay line comes from user code (schedule=[...]): replay it in its test with itInterleaves(name, fn, { zmq, replay: [...] }), or rerun a zoo entry with --scenario NAME --seed S"
        : 'the replay line has no interleaving="zi1 ..." field to run',
    );
  }
  let model;
  try {
    model = await replay(text);
  } catch (err) {
    if (KitError.is(err)) throw new UsageError("bad-value", err.message);
    throw err;
  }
  const expected = model.expected === undefined ? "a failure" : model.expected;
  const x = model.interleaving;
  out.write(`${renderTimeline({ interleaving: x, ...model.result })}\n`);
  out.write(model.kind === "reproduced" ? `model: reproduced (${verdictLabel(model.result.verdict)})\n` : `model: different: expected ${expected}, got ${verdictLabel(model.result.verdict)}\n`);
  try {
    const real = await runInterleaving(x, { mode: "unguarded", isolate: "always", timeLimitMs: REAL_RUN_TIME_LIMIT_MS });
    const label = real.verdict.kind === "violation" ? real.verdict.rule : real.verdict.kind;
    const ending = real.process === null ? "" : `: ${describeOutcome(real.process)}`;
    out.write(`real run (unguarded, child process): ${label}${ending}\n`);
  } catch (err) {
    // What the executor cannot run faithfully (a tcp subscription at run time...) is said, not thrown.
    if (!KitError.is(err)) throw err;
    out.write(`real run: not run: ${err.message}\n`);
  }
  return model.kind;
}
