import type { RaceChoices } from "../interleaving/types.js";
import type { RaceChooser } from "./decisions.js";

/**
 * A race chooser that follows a list of race choices: the k-th race asked takes outcome
 * `choices[k] mod n` (0 past the end). `taken`, when given, collects the outcomes picked.
 */
export function followRaces(choices: RaceChoices, taken?: number[]): RaceChooser {
  let cursor = 0;
  return (point) => {
    const k = (choices[cursor++] ?? 0) % point.outcomes.length;
    taken?.push(k);
    return k;
  };
}

/** The `races` field of an interleaving: left out when there are none (so text round-trips). */
export function racesField(races: RaceChoices | undefined): { readonly races?: RaceChoices } {
  return races === undefined || races.length === 0 ? {} : { races };
}
