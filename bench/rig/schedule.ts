/**
 * The order runs happen in: round-robin over every case of every selected suite, repeated
 * once per round, each round starting at a different case, so that a slow stretch of the
 * shared machine spreads over all configurations instead of landing on one.
 */

/** What the scheduler needs to know about a suite's plan. */
export interface ScheduleInput {
  readonly suite: string;
  readonly cases: number;
  readonly rounds: number;
}

/** One run: case `caseIndex` of `suite`, in round `round`. */
export interface ScheduledRun {
  readonly suite: string;
  readonly caseIndex: number;
  readonly round: number;
}

/** Every run of every case, interleaved: all of round 0, then all of round 1, ... */
export function interleave(inputs: readonly ScheduleInput[]): ScheduledRun[] {
  const runs: ScheduledRun[] = [];
  const maxRounds = Math.max(0, ...inputs.map((i) => i.rounds));
  for (let round = 0; round < maxRounds; round++) {
    for (const input of inputs) {
      if (round >= input.rounds || input.cases === 0) continue;
      const offset = rotation(round, input.cases, input.rounds);
      for (let k = 0; k < input.cases; k++) runs.push({ suite: input.suite, caseIndex: (offset + k) % input.cases, round });
    }
  }
  return runs;
}

/** Where round `round` starts: rounds start evenly spread over the cases. */
export function rotation(round: number, cases: number, rounds: number): number {
  return Math.floor((round * cases) / Math.max(1, rounds)) % Math.max(1, cases);
}

/** Rotates `items` left by `by` places. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
