import { FORMAT_TAG } from "../interleaving/format.js";
import { parseInterleaving } from "../interleaving/parse.js";
import type { Interleaving } from "../interleaving/types.js";
import { checkInterleaving, type CheckResult } from "../model/check.js";
import { optionalFunction, optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import { checkModel, type Model } from "../model/model.js";
import { InvalidOptionsError } from "../errors.js";
import { parseReplay, REPLAY_PREFIX } from "./replayLine.js";
import type { VerdictLike } from "./timeline.js";

/** Runs one interleaving and reports its verdict: the model (default) or, later, real sockets. */
export type ReplayRunner<R extends { readonly verdict: VerdictLike }> = (x: Interleaving) => Promise<R> | R;

/** Options of `replay` with the model as runner. */
export interface ModelReplayOptions {
  /** The verdict label to expect (overrides the line's `verdict=`). */
  readonly expected?: string;
  /** The model to replay against (default: every rule on). */
  readonly model?: Model;
}

/** Options of `replay` with another runner, e.g. a real-socket executor. */
export interface RunnerReplayOptions<R extends { readonly verdict: VerdictLike }> {
  /** The verdict label to expect (overrides the line's `verdict=`). */
  readonly expected?: string;
  readonly run: ReplayRunner<R>;
}

/**
 * What a replay found. `reproduced`: the run ended with the expected verdict label, or, when
 * no label was expected, with any verdict but `ok`. `different`: it did not.
 */
export type ReplayResult<R extends { readonly verdict: VerdictLike }> =
  | { readonly kind: "reproduced"; readonly verdict: R["verdict"]; readonly expected?: string; readonly interleaving: Interleaving; readonly result: R }
  | { readonly kind: "different"; readonly expected?: string; readonly got: R["verdict"]; readonly interleaving: Interleaving; readonly result: R };

function labelOf(v: VerdictLike): string {
  return v.rule ?? v.kind;
}

/** Reads a replay line (`replay: ...`) or a bare interleaving string (`zi1 ...`). */
function readInput(input: string): { interleaving: Interleaving; verdict?: string } {
  if (typeof input !== "string") throw new InvalidOptionsError(`replay: expected a replay line ("${REPLAY_PREFIX} ...") or an interleaving string ("${FORMAT_TAG} ..."), got ${showValue(input)}`);
  const text = input.trim();
  if (text.startsWith(REPLAY_PREFIX)) {
    const r = parseReplay(text);
    return r.verdict === undefined ? { interleaving: r.interleaving } : { interleaving: r.interleaving, verdict: r.verdict };
  }
  if (text.startsWith(FORMAT_TAG)) return { interleaving: parseInterleaving(text) };
  throw new InvalidOptionsError(`replay: expected a line starting with "${REPLAY_PREFIX}" or an interleaving starting with "${FORMAT_TAG}", got ${showValue(text)}`);
}

/**
 * Re-runs a failure from its replay line (or interleaving string) and says whether it failed
 * the same way. Runs through the model by default; pass `run` to replay on something else,
 * such as real sockets. Throws `ReplayLineError`/`ParseError` for unreadable input.
 */
export function replay(input: string, options?: ModelReplayOptions): Promise<ReplayResult<CheckResult>>;
export function replay<R extends { readonly verdict: VerdictLike }>(input: string, options: RunnerReplayOptions<R>): Promise<ReplayResult<R>>;
export async function replay(
  input: string,
  options: ModelReplayOptions | RunnerReplayOptions<{ readonly verdict: VerdictLike }> = {},
): Promise<ReplayResult<{ readonly verdict: VerdictLike }>> {
  const o = optionsRecord("replay", options, ["expected", "model", "run"]);
  if (o.model !== undefined && o.run !== undefined) throw new InvalidOptionsError("replay: give either model (replay on the model) or run (replay on something else), not both");
  if (o.expected !== undefined && (typeof o.expected !== "string" || !/^[a-z][a-z0-9-]*$/.test(o.expected))) throw new InvalidOptionsError(`replay: expected must be a verdict label such as "busy-recv", got ${showValue(o.expected)}`);
  const model = o.model === undefined ? undefined : checkModel("replay: model", o.model);
  const runner = optionalFunction<ReplayRunner<{ readonly verdict: VerdictLike }>>("replay: run", o.run);
  const { interleaving, verdict: lineVerdict } = readInput(input);
  const expected = (o.expected as string | undefined) ?? lineVerdict;
  const run: ReplayRunner<{ readonly verdict: VerdictLike }> = runner ?? ((x) => checkInterleaving(x, model === undefined ? {} : { model }));
  const result = await run(interleaving);
  if (typeof result !== "object" || result === null || typeof (result as { verdict?: { kind?: unknown } }).verdict?.kind !== "string") {
    throw new InvalidOptionsError(`replay: run must return a result with a verdict ({ verdict: { kind } }, as runInterleaving does), got ${showValue(result)}`);
  }
  const got = labelOf(result.verdict);
  const same = expected === undefined ? got !== "ok" : got === expected;
  const exp = expected === undefined ? {} : { expected };
  return same
    ? { kind: "reproduced", verdict: result.verdict, ...exp, interleaving, result }
    : { kind: "different", ...exp, got: result.verdict, interleaving, result };
}
