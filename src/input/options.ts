import { InvalidOptionsError } from "../errors.js";
import { closestName } from "./closest.js";
import { showValue } from "./show.js";

/**
 * Checks for the options objects of the public API, so no input slips through: an options
 * argument is a plain object whose keys are all known (a typo names the closest known key),
 * and each field has the type and range its function needs. Every check throws
 * `InvalidOptionsError` with a message that names the option, says what it takes, and shows
 * what it got (`showValue`: NaN as NaN, long text cut).
 */

/** Longest time limit, ms: Node's timers take at most 2^31 - 1 and fire at once (after 1 ms) for more. */
export const MAX_TIME_LIMIT_MS = 2_147_483_647;

/** True for `{}`-like objects: not null, not an array, not a class instance such as a Map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** "unknown option "x" (did you mean "y"?); the options are a, b" for a key not in `known`. */
export function unknownKeyMessage(where: string, key: string, known: readonly string[], noun = "option"): string {
  const near = closestName(key, known);
  const hint = near === null ? "" : ` (did you mean ${JSON.stringify(near)}?)`;
  return `${where}: unknown ${noun} ${showValue(key)}${hint}; the ${noun}s are ${known.join(", ")}`;
}

/**
 * The options argument of `where` (a function name, e.g. `"runInterleaving"`): `{}` for
 * `undefined`, else a plain object whose own keys are all in `known`. A key whose value is
 * `undefined` counts as absent only if it is known.
 */
export function optionsRecord(where: string, value: unknown, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new InvalidOptionsError(`${where}: the options must be an object such as { ${known[0] ?? ""} }, got ${showValue(value)}`);
  // Its own keys, without the list `Object.keys` makes: options records are checked at every call.
  for (const key in value) {
    if (Object.hasOwn(value, key) && !isKnown(known, key)) throw new InvalidOptionsError(unknownKeyMessage(where, key, known));
  }
  return value;
}

function isKnown(known: readonly string[], key: string): boolean {
  for (let k = 0; k < known.length; k++) if (known[k] === key) return true;
  return false;
}

/** A whole number from `min` to `max`, or `fallback` when absent. */
export function wholeNumber(label: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionsError(`${label} must be a whole number from ${min} to ${max}, got ${showValue(value)}`);
  }
  return value;
}

/** A time limit in ms: a whole number from 1 to `MAX_TIME_LIMIT_MS`, or `fallback` when absent. */
export function timeLimit(label: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_TIME_LIMIT_MS) {
    throw new InvalidOptionsError(`${label} must be a whole number of milliseconds from 1 to ${MAX_TIME_LIMIT_MS} (the longest timer Node keeps), got ${showValue(value)}`);
  }
  return value;
}

/** A probability from 0 to 1, or `fallback` when absent. */
export function probability(label: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new InvalidOptionsError(`${label} is a probability from 0 to 1, got ${showValue(value)}`);
  return value;
}

/** One of `allowed`, or `fallback` when absent. */
export function oneOf<T extends string>(label: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    const near = typeof value === "string" ? closestName(value, allowed) : null;
    const hint = near === null ? "" : ` (did you mean ${JSON.stringify(near)}?)`;
    throw new InvalidOptionsError(`${label} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${showValue(value)}${hint}`);
  }
  return value as T;
}

/** `true` or `false`, or `fallback` when absent. */
export function flag(label: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new InvalidOptionsError(`${label} must be true or false, got ${showValue(value)}`);
  return value;
}

/** A function, or `undefined` when absent. */
export function optionalFunction<F extends (...args: never[]) => unknown>(label: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") throw new InvalidOptionsError(`${label} must be a function, got ${showValue(value)}`);
  return value as F;
}
