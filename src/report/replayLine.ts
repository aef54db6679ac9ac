import { isPlainObject, unknownKeyMessage } from "../input/options.js";
import { showValue } from "../input/show.js";
import { KitError } from "../errors.js";
import { writeInterleaving } from "../interleaving/format.js";
import { validateInterleaving } from "../interleaving/validate.js";
import { parseInterleaving } from "../interleaving/parse.js";
import type { Interleaving } from "../interleaving/types.js";

/**
 * The one line that reproduces a failure:
 *
 *     replay: seed=-1234 path="0:1:2" verdict=busy-recv interleaving="zi1 thread inproc | ..."
 *
 * `seed` and `path` are fast-check's (re-run the property with `{ seed, path }`), `verdict` is
 * the label the run ended with, and `interleaving` is the kit's text form as a JSON string,
 * which alone is enough to re-run the interleaving (`replay(line)`).
 */

/** Prefix of every replay line. */
export const REPLAY_PREFIX = "replay:";

/** A parsed replay line; `parseReplay(formatReplay(r))` deep-equals `r`. */
export interface ReplayLine {
  /** fast-check seed (a safe integer). */
  readonly seed?: number;
  // invariant: matches /^[0-9]+(:[0-9]+)*$/
  /** fast-check counterexample path, e.g. `"0:1:2"`. */
  readonly path?: string;
  // invariant: matches /^[a-z][a-z0-9-]*$/
  /** The verdict label the run ended with: `busy-recv`, `stuck`, `ok`... */
  readonly verdict?: string;
  readonly interleaving: Interleaving;
}

/** Why a replay line did not parse; stable, for programs that branch on it. */
export type ReplayLineProblem =
  | "not-text"
  | "missing-prefix"
  | "bad-field"
  | "unknown-field"
  | "duplicate-field"
  | "bad-seed"
  | "bad-path"
  | "bad-verdict"
  | "missing-interleaving"
  | "bad-interleaving";

/** A replay line that cannot be read: says where, what, and (for a bad interleaving) the cause. */
export class ReplayLineError extends KitError {
  readonly problem: ReplayLineProblem;
  /** Offset into the line where the problem starts. */
  readonly offset: number;

  constructor(problem: ReplayLineProblem, message: string, offset: number, options?: { cause?: unknown }) {
    super("PARSE_ERROR", `cannot read replay line at offset ${offset}: ${message}`, options);
    this.name = "ReplayLineError";
    this.problem = problem;
    this.offset = offset;
  }
}

const PATH = /^[0-9]+(:[0-9]+)*$/;
const FIELDS: readonly string[] = ["seed", "path", "verdict", "interleaving"];
const LABEL = /^[a-z][a-z0-9-]*$/;

/** The replay line of `r`, on one line. Throws `ReplayLineError` for a seed, path or verdict that would not read back. */
export function formatReplay(r: ReplayLine): string {
  if (!isPlainObject(r)) throw new ReplayLineError("bad-field", `formatReplay takes { seed?, path?, verdict?, interleaving }, got ${showValue(r)}`, 0);
  for (const key of Object.keys(r)) {
    if (!FIELDS.includes(key)) throw new ReplayLineError("unknown-field", unknownKeyMessage("formatReplay", key, FIELDS, "field"), 0);
  }
  if (r.interleaving === undefined) throw new ReplayLineError("missing-interleaving", "formatReplay needs the interleaving to replay", 0);
  validateInterleaving(r.interleaving);
  return writeReplay(r);
}

/** `formatReplay` for an interleaving known to be valid (drawn timelines of any run): the seed, path and verdict are still checked. */
export function writeReplay(r: ReplayLine): string {
  const parts = [REPLAY_PREFIX];
  if (r.seed !== undefined) {
    if (!Number.isSafeInteger(r.seed)) throw new ReplayLineError("bad-seed", `seed must be a safe integer, got ${showValue(r.seed)}`, 0);
    parts.push(`seed=${r.seed}`);
  }
  if (r.path !== undefined) {
    if (typeof r.path !== "string" || !PATH.test(r.path)) throw new ReplayLineError("bad-path", `path must look like "0:1:2", got ${showValue(r.path)}`, 0);
    parts.push(`path=${JSON.stringify(r.path)}`);
  }
  if (r.verdict !== undefined) {
    if (typeof r.verdict !== "string" || !LABEL.test(r.verdict)) throw new ReplayLineError("bad-verdict", `verdict must be a label like busy-recv, got ${showValue(r.verdict)}`, 0);
    parts.push(`verdict=${r.verdict}`);
  }
  parts.push(`interleaving=${JSON.stringify(writeInterleaving(r.interleaving))}`);
  return parts.join(" ");
}

/** The interleaving text after `interleaving=`: a JSON string, or (pasted through a template literal that ate the escapes, or unquoted) the raw rest. */
function interleavingText(rest: string): string {
  if (!rest.startsWith('"')) return rest;
  try {
    const v: unknown = JSON.parse(rest);
    if (typeof v === "string") return v;
  } catch {
    // fall through to the raw form
  }
  return rest.endsWith('"') && rest.length >= 2 ? rest.slice(1, -1) : rest;
}

/** Reads one replay line (leading and trailing white space ignored). Throws `ReplayLineError`. */
export function parseReplay(line: string): ReplayLine {
  if (typeof line !== "string") throw new ReplayLineError("not-text", `a replay line is a string starting with "${REPLAY_PREFIX}", got ${showValue(line)}`, 0);
  const start = line.length - line.trimStart().length;
  const text = line.trimEnd();
  if (!text.startsWith(REPLAY_PREFIX, start)) {
    throw new ReplayLineError("missing-prefix", `a replay line starts with "${REPLAY_PREFIX}"`, start);
  }
  let pos = start + REPLAY_PREFIX.length;
  const seen = new Set<string>();
  let seed: number | undefined;
  let path: string | undefined;
  let verdict: string | undefined;
  for (;;) {
    while (text[pos] === " " || text[pos] === "\t") pos++;
    if (pos >= text.length) throw new ReplayLineError("missing-interleaving", 'the line has no interleaving="..." field', pos);
    const m = /^([a-z]+)=/.exec(text.slice(pos));
    if (m === null) throw new ReplayLineError("bad-field", "expected a field written name=value", pos);
    const name = m[1] as string;
    const at = pos;
    if (seen.has(name)) throw new ReplayLineError("duplicate-field", `the field ${showValue(name)} appears twice`, at);
    seen.add(name);
    pos += m[0].length;
    if (name === "interleaving") {
      const raw = interleavingText(text.slice(pos));
      try {
        const interleaving = parseInterleaving(raw);
        return {
          ...(seed === undefined ? {} : { seed }),
          ...(path === undefined ? {} : { path }),
          ...(verdict === undefined ? {} : { verdict }),
          interleaving,
        };
      } catch (err: unknown) {
        const why = err instanceof Error ? err.message : String(err);
        throw new ReplayLineError("bad-interleaving", `the interleaving does not read: ${why}`, pos, { cause: err });
      }
    }
    let end = pos;
    if (text[pos] === '"') {
      end = pos + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      end++;
    } else {
      while (end < text.length && text[end] !== " " && text[end] !== "\t") end++;
    }
    const value = text.slice(pos, end);
    switch (name) {
      case "seed":
        if (!/^-?[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new ReplayLineError("bad-seed", `seed must be an integer, got ${showValue(value)}`, pos);
        seed = Number(value);
        break;
      case "path": {
        let p: unknown;
        try {
          p = JSON.parse(value);
        } catch {
          p = null;
        }
        if (typeof p !== "string" || !PATH.test(p)) throw new ReplayLineError("bad-path", `path must be a quoted list like "0:1:2", got ${showValue(value)}`, pos);
        path = p;
        break;
      }
      case "verdict":
        if (!LABEL.test(value)) throw new ReplayLineError("bad-verdict", `verdict must be a label like busy-recv, got ${showValue(value)}`, pos);
        verdict = value;
        break;
      default:
        throw new ReplayLineError("unknown-field", `unknown field ${showValue(name)}; use seed, path, verdict and interleaving (last)`, at);
    }
    pos = end;
  }
}
