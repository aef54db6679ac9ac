import type { Schedule } from "../interleaving/types.js";
import { RecordingSelector } from "./recorder.js";
import type { ChoicePoint, RandomSource, Selector, Strategy, Trace } from "./strategy.js";

/** Choices to replay: a whole trace, or a schedule alone (its races take their default outcome). */
export type ReplaySource = Schedule | Partial<Trace>;

function lists(source: ReplaySource): Trace {
  if (Array.isArray(source)) return { schedule: source, races: [] };
  const t = source as Partial<Trace>;
  return { schedule: t.schedule ?? [], races: t.races ?? [] };
}

/**
 * Makes the picks of a plain list of choices: at the k-th task point it picks candidate
 * `schedule[k] mod n` (0 past the end), and likewise for race points with `races`. This is
 * the meaning of a schedule everywhere in the kit.
 */
export class ReplaySelector extends RecordingSelector {
  private readonly source: Trace;
  private taskCursor = 0;
  private raceCursor = 0;

  constructor(source: ReplaySource) {
    super();
    this.source = lists(source);
  }

  protected choose(point: ChoicePoint): number {
    const n = point.candidates.length;
    const c = point.kind === "race" ? (this.source.races[this.raceCursor++] ?? 0) : (this.source.schedule[this.taskCursor++] ?? 0);
    return c % n;
  }
}

/** A strategy of one run that makes the picks of `source` (see `ReplaySelector`). */
export function replaySchedule(source: ReplaySource): Strategy {
  let done = false;
  return {
    name: "replay",
    begin(_random: RandomSource): Selector | null {
      if (done) return null;
      done = true;
      return new ReplaySelector(source);
    },
    get exhausted() {
      return done;
    },
  };
}
