import { spawn } from "node:child_process";
import type { HistoryEvent, Interleaving } from "../interleaving/types.js";
import { actorStatus } from "../model/model.js";
import { MODEL_RULES, type ModelRule, type Violation } from "../model/verdict.js";
import { Walker } from "../schedule/walker.js";
import { childArgs } from "./loader.js";
import type { ResolvedRunOptions } from "./options.js";
import type { ProcessOutcome, RunResult } from "./result.js";
import { bindingModel } from "./teardown.js";

/**
 * Unguarded runs that can end the process (a worker torn down under a pending op, an
 * unobserved rejection) or keep it from exiting (pending ops, queued messages, a lost
 * wakeup) run in a child process with a time limit. The child streams its history as it
 * goes and skips the teardown, so the process meets the real consequence; the parent
 * reports exit code, signal, the stderr tail and how long it took, and never waits out a hang.
 * Runs of either mode that may not get the file descriptors they need run there too (a
 * guarded one as it would here, teardown included), so that libzmq's abort when it runs out
 * ends the child, not this process.
 */

/** How long a child whose program is over may take to exit before it counts as hung, ms. */
export const EXIT_GRACE_MS = 1000;

/** Marker the child writes to stderr when Node starts to exit. */
export const EXIT_MARK = "zi:exit";

/** Parent to child. */
export interface ChildRequest {
  readonly t: "run";
  /** `guarded` runs as in the parent (handled, with teardown); `unguarded` meets the consequences. */
  readonly mode: "guarded" | "unguarded";
  readonly interleaving: Interleaving;
  readonly disabled: readonly ModelRule[];
  readonly stepTimeoutMs: number;
  readonly timeLimitMs: number;
}

/** Child to parent. */
export type ChildMessage =
  | { readonly t: "event"; readonly event: HistoryEvent }
  | { readonly t: "violation"; readonly violation: Violation }
  | { readonly t: "result"; readonly result: RunResult }
  | { readonly t: "error"; readonly message: string };

const CONSEQUENCES: ReadonlySet<string> = new Set(["teardown-while-pending", "unobserved-rejection", "lost-wakeup", "stuck", "exit-hang"]);

/** Does the model say this unguarded run can end the process or keep it alive? */
export function needsIsolation(x: Interleaving, o: ResolvedRunOptions): boolean {
  const binding = bindingModel(o.model);
  const state = binding.initial(x.scenario);
  const walker = new Walker(x.programs, x.schedule);
  const canRun = (p: number) => {
    const prog = x.programs[p];
    return prog !== undefined && actorStatus(state, prog.actor) === "ready";
  };
  for (let pick = walker.next(canRun); pick !== null; pick = walker.next(canRun)) {
    const actor = x.programs[pick.program]?.actor;
    if (actor === undefined) break;
    const v = o.model.check(state, actor, pick.index, pick.op);
    if (v !== null && CONSEQUENCES.has(v.rule)) return true;
    binding.stepInPlace(state, actor, pick.index, pick.op, null);
    if (!walker.turnContinues(canRun)) binding.endTurnInPlace(state, null);
  }
  return CONSEQUENCES.has(binding.settle(state).kind);
}

/** Runs `x` in a child process, in the mode of `o`, and reports how the process ended. */
export function runIsolated(x: Interleaving, o: ResolvedRunOptions): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(process.execPath, childArgs("child"), { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  const events: HistoryEvent[] = [];
  const violations: Violation[] = [];
  let result: RunResult | null = null;
  let childError: string | null = null;
  let stderr = "";
  let hung = false;
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const hang = () => {
    hung = true;
    kill();
  };
  let timer = setTimeout(hang, o.timeLimitMs);
  child.on("message", (m: ChildMessage) => {
    if (m.t === "event") events.push(m.event);
    else if (m.t === "violation") violations.push(m.violation);
    else if (m.t === "error") childError = m.message;
    else {
      result = m.result;
      // The program is over: a process that is going to exit does so at once; give it a grace.
      clearTimeout(timer);
      timer = setTimeout(hang, Math.min(EXIT_GRACE_MS, o.timeLimitMs));
    }
  });
  const request: ChildRequest = {
    t: "run",
    mode: o.mode,
    interleaving: x,
    disabled: MODEL_RULES.filter((r) => !o.model.rules.has(r)),
    stepTimeoutMs: o.stepTimeoutMs,
    timeLimitMs: o.timeLimitMs,
  };
  child.send(request);
  return new Promise((resolve, reject) => {
    child.once("error", (err) => {
      clearTimeout(timer);
      process.off("exit", kill);
      reject(err);
    });
    // 'close' comes after 'exit' once the child's pipes are closed too: nothing stays open.
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      process.off("exit", kill);
      const reachedExit = stderr.includes(EXIT_MARK);
      const outcome: ProcessOutcome = {
        ending: hung ? "hung" : signal !== null ? "crashed" : "exited",
        exitCode: code,
        signal: hung ? null : signal,
        reachedExit,
        stderrTail: tail(stderr.split(EXIT_MARK).join("").trim()),
        durationMs: performance.now() - started,
      };
      resolve(compose(x, o, result, events, violations, childError, outcome, started));
    });
  });
}

function tail(text: string): string {
  return text.split("\n").slice(-12).join("\n");
}

function compose(x: Interleaving, o: ResolvedRunOptions, result: RunResult | null, events: readonly HistoryEvent[], violations: readonly Violation[], childError: string | null, outcome: ProcessOutcome, started: number): RunResult {
  if (result !== null) return { ...result, process: outcome, durationMs: performance.now() - started };
  const first = violations[0];
  return {
    interleaving: x,
    verdict:
      first ??
      (childError !== null
        ? { kind: "unknown", reason: "crashed", message: `the child process failed: ${childError}` }
        : outcome.ending === "hung"
          ? { kind: "unknown", reason: "time-limit", message: `the child process did not finish within ${o.timeLimitMs} ms` }
          : { kind: "unknown", reason: "crashed", message: crashMessage(outcome) }),
    history: events,
    predicted: [],
    divergedAt: null,
    violations,
    steps: events.filter((e) => e.kind === "invoke").length,
    preemptions: 0,
    durationMs: performance.now() - started,
    process: outcome,
  };
}

/**
 * Why a child ended before its run did, in words: the signal or exit code, and what it said
 * last; a libzmq assertion ("Too many open files (src/ip_resolver.cpp:542)") is quoted as such.
 */
export function crashMessage(outcome: Pick<ProcessOutcome, "exitCode" | "signal" | "stderrTail">): string {
  const how =
    outcome.signal === "SIGKILL"
      ? "was killed (SIGKILL, from outside the kit)"
      : outcome.signal !== null
        ? `ended on ${outcome.signal}${outcome.signal === "SIGABRT" ? " (an abort)" : ""}`
        : `exited with code ${outcome.exitCode ?? "?"}`;
  const cause = crashCause(outcome.stderrTail);
  return `the child process ${how} before the run finished${cause === null ? "" : `: ${cause}`}`;
}

function crashCause(stderr: string): string | null {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  // libzmq's assertions print "<what> (<path>/src/<file>.cpp:<line>)" and abort.
  for (const line of lines) {
    const m = /^(.*) \((?:.*\/)?(src\/[^()/]+\.cpp:\d+)\)$/.exec(line);
    if (m !== null) return `libzmq: ${m[1]} (${m[2]})`;
  }
  return lines[lines.length - 1] ?? null;
}
