import { afterAll, beforeAll, describe, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { programsFor, scenarios } from "../../src/arbitraries/scenarios.js";
import { schedules } from "../../src/arbitraries/schedules.js";
import { ClosedError, InvalidInterleavingError, InvalidOptionsError, ParseError } from "../../src/errors.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { createModel } from "../../src/model/model.js";
import { timelinePrinter } from "../../src/report/printer.js";
import { replay } from "../../src/report/replay.js";
import { formatReplay, parseReplay, ReplayLineError } from "../../src/report/replayLine.js";
import { reportRun } from "../../src/report/reporter.js";
import { renderTimelineHtml, renderTimelineSvg } from "../../src/report/svg.js";
import { renderTimeline } from "../../src/report/text.js";
import { writeTimeline } from "../../src/report/write.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { resolveRunOptions } from "../../src/runtime/options.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import { expectRefusal, refusal, type BadInput } from "./table.js";

// Bad input to the public API outside the guard: each row must be refused with the kit's
// typed error (class and code), within a second, before anything is created, and without an
// unhandled rejection. The guard's and vitest helpers' rows are in their own file.

const x: Interleaving = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 | main/t0: recv s0 | schedule");
const checked = { interleaving: x, ...checkInterleaving(x) };
const line = formatReplay({ interleaving: x, verdict: "stuck" });
const huge = "x".repeat(10_000_000);
const closed = new WorkerPool();
const never = (v: unknown): never => v as never;

const rows: BadInput[] = [
  // runInterleaving and its options
  { name: "runInterleaving: an unknown option", call: () => runInterleaving(x, never({ transport: "ipc" })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /unknown option "transport"/ },
  { name: "runInterleaving: a misspelt option", call: () => runInterleaving(x, never({ timelimitMs: 100 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "timeLimitMs"\?/ },
  { name: "runInterleaving: pool is not a WorkerPool", call: () => runInterleaving(x, never({ pool: {} })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /pool must be a WorkerPool, got \{\}/ },
  { name: "runInterleaving: model is a number", call: () => runInterleaving(x, never({ model: 42 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /model must be a model from createModel\(\).*got 42/ },
  { name: "runInterleaving: timeLimitMs 2^31", call: () => runInterleaving(x, { timeLimitMs: 2 ** 31 }), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /from 1 to 2147483647.*got 2147483648/ },
  { name: "runInterleaving: stepTimeoutMs 2^31", call: () => runInterleaving(x, { stepTimeoutMs: 2 ** 31 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "runInterleaving: timeLimitMs 0", call: () => runInterleaving(x, { timeLimitMs: 0 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "runInterleaving: timeLimitMs NaN", call: () => runInterleaving(x, { timeLimitMs: Number.NaN }), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /got NaN$/ },
  { name: "runInterleaving: stepTimeoutMs 1.5", call: () => runInterleaving(x, { stepTimeoutMs: 1.5 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "runInterleaving: a misspelt mode", call: () => runInterleaving(x, never({ mode: "guardd" })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "guarded"\?/ },
  { name: "runInterleaving: options null", call: () => runInterleaving(x, never(null)), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /got null/ },
  { name: "runInterleaving: an unknown isolate", call: () => runInterleaving(x, never({ mode: "unguarded", isolate: "sometimes" })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "runInterleaving: a closed pool", call: () => runInterleaving(x, { pool: closed }), error: ClosedError, code: "CLOSED", message: /the pool is closed/ },
  { name: "runInterleaving: not an interleaving", call: () => runInterleaving(never(null)), error: InvalidInterleavingError, code: "INVALID_INTERLEAVING" },
  { name: "resolveRunOptions: timeLimitMs Infinity", call: () => resolveRunOptions({ timeLimitMs: Number.POSITIVE_INFINITY }), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /got Infinity/ },
  // WorkerPool
  { name: "WorkerPool: a misspelt option", call: () => new WorkerPool(never({ maxWorker: 2 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "maxWorkers"\?/ },
  { name: "WorkerPool: startTimeoutMs 2^31", call: () => new WorkerPool({ startTimeoutMs: 2 ** 31 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "WorkerPool: spares -1", call: () => new WorkerPool({ spares: -1 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "WorkerPool: options a string", call: () => new WorkerPool(never("big")), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "WorkerPool: acquire after close", call: () => closed.acquire(1, () => undefined), error: ClosedError, code: "CLOSED" },
  // arbitraries
  { name: "interleavings: a misspelt key", call: () => interleavings(never({ threadz: 2 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /unknown option "threadz" \(did you mean "threads"\?\)/ },
  { name: "interleavings: an unknown ownership", call: () => interleavings(never({ ownership: "nope" })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /got "nope"/ },
  { name: "interleavings: threads NaN", call: () => interleavings({ threads: Number.NaN }), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /got NaN/ },
  { name: "interleavings: weights a number", call: () => interleavings(never({ weights: 5 })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "interleavings: a misspelt op kind in weights", call: () => interleavings(never({ weights: { sned: 1 } })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "send"\?/ },
  { name: "interleavings: an unknown key in nowait", call: () => interleavings(never({ nowait: { sends: 0.1 } })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "interleavings: executable a string", call: () => interleavings(never({ executable: "yes" })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "interleavings: print not a function", call: () => interleavings(never({ print: 42 })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "interleavings: a misspelt socket type", call: () => interleavings(never({ socketTypes: ["pul"] })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "pull"\?/ },
  { name: "interleavings: a 10 MB topic", call: () => interleavings({ topics: [huge] }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "schedules: a misspelt key", call: () => schedules(never({ maxLenght: 3 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "maxLength"\?/ },
  { name: "schedules: maxChoice 0", call: () => schedules({ maxChoice: 0 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "schedules: preemptionRate NaN", call: () => schedules({ preemptionRate: Number.NaN }), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /got NaN/ },
  { name: "scenarios: an unknown transport", call: () => scenarios(never({ transport: "ipc" })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "programsFor: no cast", call: () => programsFor(never(null)), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "programsFor: a cast that does not validate", call: () => programsFor(never({ scenario: { ownership: "thread", transport: "inproc", sockets: [{}] }, programs: [] })), error: InvalidInterleavingError, code: "INVALID_INTERLEAVING" },
  // the text form
  { name: "parseInterleaving: null", call: () => parseInterleaving(never(null)), error: ParseError, code: "PARSE_ERROR" },
  { name: "parseInterleaving: a 10 MB token is cut in the message", call: () => parseInterleaving(`zi1 thread inproc | s0 ${huge} main/t0 bind e0 | schedule`), error: InvalidInterleavingError, code: "INVALID_INTERLEAVING", message: /\.\.\. \(10000000 characters\)/ },
  { name: "parseInterleaving: a 10 MB tag is cut in the message", call: () => parseInterleaving(huge), error: ParseError, code: "PARSE_ERROR", message: /\(10000000 characters\)/ },
  { name: "parseInterleaving: another format version", call: () => parseInterleaving("zi2 thread inproc | schedule"), error: ParseError, code: "PARSE_ERROR" },
  { name: "formatInterleaving: not an interleaving", call: () => formatInterleaving(never({})), error: InvalidInterleavingError, code: "INVALID_INTERLEAVING" },
  { name: "formatInterleaving: multiline a string", call: () => formatInterleaving(x, never({ multiline: "yes" })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "formatInterleaving: a misspelt option", call: () => formatInterleaving(x, never({ multiLine: true })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "multiline"\?/ },
  // the model
  { name: "checkInterleaving: model a number", call: () => checkInterleaving(x, never({ model: 42 })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "checkInterleaving: a misspelt option", call: () => checkInterleaving(x, never({ histroy: false })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "history"\?/ },
  { name: "createModel: an unknown rule", call: () => createModel(never({ disabled: ["nope"] })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  // reports
  { name: "renderTimeline: null", call: () => renderTimeline(never(null)), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "renderTimeline: history not an array", call: () => renderTimeline(never({ interleaving: x, history: "no", verdict: { kind: "ok" } })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "renderTimeline: a misspelt option", call: () => renderTimeline(checked, never({ widht: 80 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "width"\?/ },
  { name: "renderTimeline: width 5", call: () => renderTimeline(checked, { width: 5 }), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "renderTimelineSvg: maxLabel a string", call: () => renderTimelineSvg(checked, never({ maxLabel: "long" })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "renderTimelineHtml: an interleaving that is not one", call: () => renderTimelineHtml(never({ interleaving: 7, history: [], verdict: { kind: "ok" } })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "writeTimeline: no run", call: () => writeTimeline("out/t.html", never(null)), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "writeTimeline: an unknown extension", call: () => writeTimeline("out/t.pdf", checked), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "writeTimeline: the path a number", call: () => writeTimeline(never(42), checked), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "writeTimeline: under /proc (no recursive mkdir spin)", call: () => writeTimeline("/proc/x/t.html", checked), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /cannot create the directory/ },
  { name: "writeTimeline: under a file", call: () => writeTimeline("/dev/null/t.html", checked), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "formatReplay: no interleaving", call: () => formatReplay(never({})), error: ReplayLineError, code: "PARSE_ERROR" },
  { name: "formatReplay: null", call: () => formatReplay(never(null)), error: ReplayLineError, code: "PARSE_ERROR" },
  { name: "formatReplay: seed NaN", call: () => formatReplay({ interleaving: x, seed: Number.NaN }), error: ReplayLineError, code: "PARSE_ERROR", message: /got NaN/ },
  { name: "formatReplay: a misspelt field", call: () => formatReplay(never({ interleaving: x, sed: 1 })), error: ReplayLineError, code: "PARSE_ERROR", message: /did you mean "seed"\?/ },
  { name: "parseReplay: null", call: () => parseReplay(never(null)), error: ReplayLineError, code: "PARSE_ERROR", message: /got null/ },
  { name: "parseReplay: a 1 MB seed is cut in the message", call: () => parseReplay(`replay: seed=${"9".repeat(1_000_000)} interleaving="zi1 thread inproc | schedule"`), error: ReplayLineError, code: "PARSE_ERROR" },
  { name: "replay: input a number", call: () => replay(never(42)), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "replay: a misspelt option", call: () => replay(line, never({ modle: createModel() })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "model"\?/ },
  { name: "replay: run not a function", call: () => replay(line, never({ run: 5 })), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
  { name: "timelinePrinter: a misspelt option", call: () => timelinePrinter(never({ wdth: 3 })), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /did you mean "width"\?/ },
  { name: "reportRun: not fast-check's run details", call: () => reportRun(never(null)), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  await closed.close();
  process.on("unhandledRejection", onUnhandled);
});

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

describe(`bad input to the public API (${rows.length} rows): a typed error within a second`, () => {
  it("has at least 40 rows", ({ expect }) => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  for (const row of rows) {
    it(row.name, async () => {
      expectRefusal(row, await refusal(row));
    });
  }

  it("left no unhandled rejection behind", async ({ expect }) => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});
