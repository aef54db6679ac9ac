import fc from "fast-check";
import { optionsRecord, probability, wholeNumber } from "../input/options.js";
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

  constructor(constraints: ScheduleConstraints = {}) {
    super();
    const c = optionsRecord("schedules", constraints, ["maxLength", "maxChoice", "preemptionRate"]);
    this.maxLength = wholeNumber("schedules: maxLength", c.maxLength, 0, 1_000_000, 20);
    this.maxChoice = wholeNumber("schedules: maxChoice", c.maxChoice, 1, 1_000_000, 3);
    this.rate = probability("schedules: preemptionRate", c.preemptionRate, 0.3);
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
