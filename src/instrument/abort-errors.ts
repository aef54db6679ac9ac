/**
 * Node's rejection for a `node:timers/promises` wait whose signal aborts: an `AbortError`
 * (code `ABORT_ERR`, "The operation was aborted") whose `cause` is the signal's reason. fake-timers
 * rejects with the reason itself (a TimeoutError for `AbortSignal.timeout`, whatever the program
 * passed to `abort(reason)`), so code that checks `err.name === "AbortError"` or `err.code` would
 * take another path in a run than on the real loop (test/binding/abort-timeout.test.ts).
 */
export function abortError(reason: unknown): Error {
  const error = new Error("The operation was aborted", { cause: reason });
  Object.assign(error, { name: "AbortError", code: "ABORT_ERR" });
  return error;
}

type Options = { readonly signal?: AbortSignal } | undefined;

/** Whether `err` is fake-timers' rejection for `options.signal` having aborted. */
function aborted(err: unknown, options: Options): boolean {
  const signal = options?.signal;
  return signal !== undefined && signal.aborted && err === signal.reason;
}

/** fake-timers' `timers/promises` `setTimeout`, rejecting as Node does when its signal aborts. */
export function nodeSleep(fake: (delay?: number, value?: unknown, options?: Options) => Promise<unknown>): typeof fake {
  return function setTimeout(delay?: number, value?: unknown, options?: Options): Promise<unknown> {
    return fake(delay, value, options).catch((err: unknown) => {
      throw aborted(err, options) ? abortError(err) : err;
    });
  };
}

/**
 * fake-timers' `timers/promises` `setInterval`, whose iterator throws as Node's does when its
 * signal aborts. Node's is an async generator (`next()` works on it directly); fake-timers gives
 * an iterable only, so this one is both.
 */
export function nodeBeats(fake: (delay?: number, value?: unknown, options?: Options) => AsyncIterable<unknown>): (delay?: number, value?: unknown, options?: Options) => AsyncIterableIterator<unknown> {
  return function setInterval(delay?: number, value?: unknown, options?: Options): AsyncIterableIterator<unknown> {
    const iterable = fake(delay, value, options);
    let inner: AsyncIterator<unknown> | null = null;
    const it = (): AsyncIterator<unknown> => (inner ??= iterable[Symbol.asyncIterator]());
    const beats: AsyncIterableIterator<unknown> = {
      next: () =>
        it()
          .next()
          .catch((err: unknown) => {
            throw aborted(err, options) ? abortError(err) : err;
          }),
      return: (v?: unknown) => it().return?.(v) ?? Promise.resolve({ done: true, value: v }),
      [Symbol.asyncIterator]: () => beats,
    };
    return beats;
  };
}
