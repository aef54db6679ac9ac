import { inspect } from "node:util";

const PENDING = /^[^{]*\{\s*<pending>/;

/**
 * Whether a native promise has settled, read synchronously. Slow (it formats the promise),
 * so the guard calls it only on the rare path: a second op, a poll, a close or a handoff
 * that meets an op whose settlement the guard has not seen yet.
 */
export function isSettled(promise: Promise<unknown>): boolean {
  return !PENDING.test(inspect(promise, { depth: 0, customInspect: false, showProxy: false }));
}
