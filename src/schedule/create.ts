import { InvalidOptionsError } from "../errors.js";
import type { RaceChoices, Schedule } from "../interleaving/types.js";
import { exhaustive, type ExhaustiveOptions } from "./exhaustive.js";
import { pct, type PctOptions } from "./pct.js";
import { random, type RandomOptions } from "./random.js";
import { replaySchedule } from "./replay.js";
import type { Strategy, StrategyName } from "./strategy.js";

/** A strategy as plain data: its name and options (what options and replay lines carry). */
export type StrategySpec =
  | ({ readonly strategy: "random" } & RandomOptions)
  | ({ readonly strategy: "pct" } & PctOptions)
  | ({ readonly strategy: "exhaustive" } & ExhaustiveOptions)
  | { readonly strategy: "replay"; readonly schedule: Schedule; readonly races?: RaceChoices };

/** A strategy, its name (default options), or its spec. */
export type StrategyChoice = Strategy | StrategyName | StrategySpec;

function isStrategy(x: StrategyChoice): x is Strategy {
  return typeof x === "object" && x !== null && typeof (x as Partial<Strategy>).begin === "function";
}

/** A fresh strategy for `choice` (a `Strategy` object is returned as it is). */
export function createStrategy(choice: StrategyChoice): Strategy {
  if (isStrategy(choice)) return choice;
  const spec: StrategySpec | { readonly strategy: unknown } = typeof choice === "string" ? { strategy: choice } : choice;
  switch (spec.strategy) {
    case "random":
      return random(spec as RandomOptions);
    case "pct":
      return pct(spec as PctOptions);
    case "exhaustive":
      return exhaustive(spec as ExhaustiveOptions);
    case "replay": {
      const r = spec as { schedule?: Schedule; races?: RaceChoices };
      if (r.schedule === undefined) throw new InvalidOptionsError('strategy "replay" needs the schedule to replay: { strategy: "replay", schedule: [...] }');
      return replaySchedule({ schedule: r.schedule, races: r.races ?? [] });
    }
    default:
      throw new InvalidOptionsError(`unknown strategy ${JSON.stringify(spec.strategy)}; use "random", "pct", "exhaustive" or "replay"`);
  }
}
