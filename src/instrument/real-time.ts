/**
 * The real clock and timers, taken when the kit loads. While a run is on, the program's
 * timers and clock are virtual (clock.ts); the kit's own time limits and waits must not be,
 * so kit code that runs during a run uses these.
 */

const performanceNow = performance.now.bind(performance);
const timeout = globalThis.setTimeout;
const cancel = globalThis.clearTimeout;
const dateNow = Date.now;

/** Real milliseconds since an arbitrary origin (`performance.now` as it was when the kit loaded). */
export function realNow(): number {
  return performanceNow();
}

/** Real wall-clock time in ms (`Date.now` as it was when the kit loaded). */
export function realDateNow(): number {
  return dateNow();
}

/** A real timer (the global `setTimeout` as it was when the kit loaded). */
export function realSetTimeout(fn: () => void, ms: number): NodeJS.Timeout {
  return timeout(fn, ms);
}

/** Cancels a timer made by `realSetTimeout`. */
export function realClearTimeout(handle: NodeJS.Timeout | undefined): void {
  cancel(handle);
}
