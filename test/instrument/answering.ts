import type { ChoicePoint, Selector } from "../../src/schedule/strategy.js";

/** A selector whose answers a test writes, and the points it was asked (the key of each one's second candidate, which names a race's outcome). */
export interface AnsweringSelector extends Selector {
  readonly asked: string[];
}

/** A selector that answers every point with `answer(point)` and notes the points asked (their trace stays empty: nothing replays it). */
export function answering(answer: (point: ChoicePoint) => number): AnsweringSelector {
  const asked: string[] = [];
  return {
    redundant: false,
    trace: { schedule: [], races: [] },
    asked,
    select: (point: ChoicePoint): number => {
      asked.push(point.candidates[1]?.key ?? "?");
      return answer(point);
    },
  };
}
