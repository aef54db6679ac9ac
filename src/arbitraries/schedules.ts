import fc from "fast-check";
import { InvalidOptionsError } from "../errors.js";
import type { Schedule } from "../interleaving/types.js";
import { shrinkSchedule } from "./shrink.js";

/** Options of `schedules`. */
export interface ScheduleConstraints {
  /** Most entries. Default 20. */
  readonly maxLength?: number;
  /** Largest choice (choices are taken modulo the runnable actors). Default 3. */
  readonly maxChoice?: number;
  /** Chance that an entry is non-zero. Default 0.3. */
  readonly preemptionRate?: number;
}

function isSchedule(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((c) => Number.isSafeInteger(c) && c >= 0);
}

/** Schedules alone: mostly zeros; shrinks by dropping trailing zeros, then zeroing, removing, lowering choices. */
export class ScheduleArbitrary extends fc.Arbitrary<Schedule> {
  private readonly maxLength: number;
  private readonly maxChoice: number;
  private readonly rate: number;

  constructor(c: ScheduleConstraints = {}) {
    super();
    this.maxLength = c.maxLength ?? 20;
    this.maxChoice = c.maxChoice ?? 3;
    this.rate = c.preemptionRate ?? 0.3;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 0) throw new InvalidOptionsError(`schedules: maxLength must be an integer >= 0, got ${JSON.stringify(c.maxLength)}`);
    if (!Number.isInteger(this.maxChoice) || this.maxChoice < 1) throw new InvalidOptionsError(`schedules: maxChoice must be an integer >= 1, got ${JSON.stringify(c.maxChoice)}`);
    if (!(this.rate >= 0 && this.rate <= 1)) throw new InvalidOptionsError(`schedules: preemptionRate is a probability from 0 to 1, got ${JSON.stringify(c.preemptionRate)}`);
  }

  generate(mrng: fc.Random): fc.Value<Schedule> {
    const length = mrng.nextInt(0, this.maxLength);
    const out: number[] = [];
    for (let k = 0; k < length; k++) out.push(mrng.nextDouble() < this.rate ? mrng.nextInt(1, this.maxChoice) : 0);
    return new fc.Value(out, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is Schedule {
    return isSchedule(value);
  }

  shrink(value: Schedule): fc.Stream<fc.Value<Schedule>> {
    return new fc.Stream(shrinkSchedule(value)).map((s) => new fc.Value<Schedule>(s, undefined));
  }
}

/** An arbitrary of schedules. */
export function schedules(c: ScheduleConstraints = {}): fc.Arbitrary<Schedule> {
  return new ScheduleArbitrary(c);
}
