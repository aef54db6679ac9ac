import { setTimeout as sleep } from "node:timers/promises";

// Timer shapes measured on the real event loop (test/binding/*.test.ts) and run again on the
// kit's virtual clock (test/instrument/clock.test.ts): each uses the global timers, so under an
// instrumented run it follows virtual time, and outside one the real loop.

/** Runs `trial` `trials` times and counts the orders it returns. */
export async function orders(trials: number, trial: () => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < trials; i++) {
    const order = await trial();
    counts[order] = (counts[order] ?? 0) + 1;
  }
  return counts;
}

/** A 1 ms interval whose second beat starts a 1 ms timeout (R22); ends once both fired. */
export function timeoutInBeat(seen: string[]): Promise<void> {
  return new Promise<void>((resolve) => {
    let beats = 0;
    const beat = setInterval(() => {
      beats++;
      if (beats === 2) setTimeout(() => seen.push("timeout"), 1);
      if (beats === 3) {
        seen.push("third beat");
        clearInterval(beat);
        setTimeout(resolve, 3);
      }
    }, 1);
  });
}

/** A heartbeat's shape (R22): a 2 ms interval that arms a 2 ms liveness check at each beat, four beats. */
export async function livenessPerBeat(seen: string[]): Promise<void> {
  await new Promise<void>((resolve) => {
    let beats = 0;
    const beat = setInterval(() => {
      beats++;
      seen.push(`beat ${beats}`);
      if (beats === 4) {
        clearInterval(beat);
        resolve();
        return;
      }
      const n = beats;
      setTimeout(() => seen.push(`check ${n}`), 2);
    }, 2);
  });
  await sleep(3);
}
