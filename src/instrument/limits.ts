import { InvalidOptionsError } from "../errors.js";

/** The longest a time limit can be (Node's timers cut longer delays to 1 ms). */
export const MAX_TIME_LIMIT_MS = 2_147_483_647;

/** Checks a time limit option: a positive integer of ms up to `MAX_TIME_LIMIT_MS`. */
export function checkTimeLimit(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_TIME_LIMIT_MS) {
    throw new InvalidOptionsError(`${name} must be an integer number of ms from 1 to ${MAX_TIME_LIMIT_MS}, got ${typeof value === "number" ? String(value) : typeof value}`);
  }
  return value;
}
