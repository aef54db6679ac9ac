import { actorName } from "../interleaving/actor.js";
import type { Rule } from "../model/verdict.js";
import { GuardContext } from "../guard/context.js";
import { GuardRun } from "../instrument/guard-run.js";
import { OwnershipError } from "../guard/ownership-error.js";
import type { InterleavedReport } from "../instrument/run.js";

/** What the matchers accept: a report of `runInterleaved`, a run, or a guard context. */
export type Checked = InterleavedReport | GuardRun | GuardContext;

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

function violationsOf(value: unknown): readonly OwnershipError[] | null {
  if (value instanceof GuardContext || value instanceof GuardRun) return value.violations;
  if (typeof value === "object" && value !== null && Array.isArray((value as { violations?: unknown }).violations)) return (value as InterleavedReport).violations;
  return null;
}

/** `expect(x).toRespectSingleOwner()`: no guarded call broke a rule (and, for a report, the verdict is `ok`). */
export function toRespectSingleOwner(received: unknown): MatcherResult {
  const violations = violationsOf(received);
  if (violations === null) return { pass: false, message: () => "expected a runInterleaved report, a GuardRun or a GuardContext" };
  const report = received as Partial<InterleavedReport>;
  const label = typeof report.label === "string" ? report.label : violations.length === 0 ? "ok" : (violations[0]?.rule ?? "violation");
  const text = typeof report.text === "string" ? `\n${report.text}` : violations.map((v) => `\n${v.message}`).join("");
  return {
    pass: label === "ok" && violations.length === 0,
    message: () => (label === "ok" ? "expected a rule to be broken, but every call respected single ownership" : `expected single-owner use, got ${label}${text}`),
  };
}

/** `expect(fn).toThrowOwnershipError("busy-recv")`: calling `fn` throws an `OwnershipError` (for that rule, when given). */
export function toThrowOwnershipError(received: unknown, rule?: Rule): MatcherResult {
  if (typeof received !== "function") return { pass: false, message: () => "expected a function to call" };
  try {
    (received as () => unknown)();
  } catch (err) {
    if (!OwnershipError.is(err)) return { pass: false, message: () => `expected an OwnershipError, got ${String(err)}` };
    const pass = rule === undefined || err.rule === rule;
    return {
      pass,
      message: () => (pass ? `expected no OwnershipError${rule === undefined ? "" : ` for ${rule}`}, got one from ${actorName(err.caller)}: ${err.message}` : `expected an OwnershipError for ${rule}, got ${err.rule}: ${err.message}`),
    };
  }
  return { pass: false, message: () => `expected an OwnershipError${rule === undefined ? "" : ` for ${rule}`}, but the call returned` };
}

/** The kit's matchers, for `expect.extend`. */
export const zmqMatchers = { toRespectSingleOwner, toThrowOwnershipError };
