import { expect } from "vitest";
import { KitError, type KitErrorCode } from "../../src/errors.js";

/**
 * One bad input: a call that must fail with the kit's typed error (class and code), within
 * a second, whether it throws or rejects. `message` pins what the error must say.
 */
export interface BadInput {
  readonly name: string;
  readonly call: () => unknown;
  readonly error: abstract new (...args: never[]) => Error;
  readonly code: KitErrorCode;
  readonly message?: RegExp;
}

/** Longest a bad input may take to be refused: checks run before any socket, thread or file. */
export const REFUSED_WITHIN_MS = 1000;

/** Runs `row.call` and returns what it threw or rejected with; fails on a pass or a hang. */
export async function refusal(row: BadInput): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), REFUSED_WITHIN_MS);
  });
  try {
    const settled = (async () => {
      try {
        await row.call();
        return { passed: true as const };
      } catch (err) {
        return { passed: false as const, err };
      }
    })();
    const outcome = await Promise.race([settled, hang]);
    if (outcome === "hang") throw new Error(`${row.name}: not refused within ${REFUSED_WITHIN_MS} ms`);
    if (outcome.passed) throw new Error(`${row.name}: accepted`);
    return outcome.err;
  } finally {
    clearTimeout(timer);
  }
}

/** Checks a refusal against its row: class, `KitError.is`, code, message, and a message of sane length. */
export function expectRefusal(row: BadInput, err: unknown): void {
  expect(err, row.name).toBeInstanceOf(row.error);
  expect(KitError.is(err), `${row.name}: a KitError`).toBe(true);
  expect((err as KitError).code, row.name).toBe(row.code);
  const message = (err as Error).message;
  if (row.message !== undefined) expect(message, row.name).toMatch(row.message);
  // Long inputs are cut, never echoed whole.
  expect(message.length, `${row.name}: message length`).toBeLessThan(2000);
}
