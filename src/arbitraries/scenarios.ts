import fc from "fast-check";
import type { Interleaving, Program, Scenario } from "../interleaving/types.js";
import { InvalidOptionsError } from "../errors.js";
import { showValue } from "../input/show.js";
import { interleavingProblems, validateInterleaving } from "../interleaving/validate.js";
import { resolveConstraints, type InterleavingConstraints, type ResolvedConstraints } from "./constraints.js";
import { drawActors, drawPrograms, drawScenario } from "./generate.js";
import { dropOps, dropSocketCandidates } from "./shrink.js";

/** A scenario together with its actors (one empty program each), ready for `programsFor`. */
export interface Cast {
  readonly scenario: Scenario;
  readonly programs: readonly Program[];
}

function asInterleaving(c: Cast): Interleaving {
  return { scenario: c.scenario, programs: c.programs, schedule: [] };
}

/** Scenarios with their actors; shrinks by dropping links and sockets. */
export class ScenarioArbitrary extends fc.Arbitrary<Cast> {
  private readonly c: ResolvedConstraints;

  constructor(constraints: InterleavingConstraints = {}) {
    super();
    this.c = resolveConstraints(constraints, "scenarios");
  }

  generate(mrng: fc.Random): fc.Value<Cast> {
    const actors = drawActors(mrng, this.c);
    return new fc.Value({ scenario: drawScenario(mrng, this.c, actors), programs: actors.map((actor) => ({ actor, ops: [] })) }, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is Cast {
    return typeof value === "object" && value !== null && interleavingProblems({ ...(value as object), schedule: [] }).length === 0;
  }

  shrink(value: Cast): fc.Stream<fc.Value<Cast>> {
    const candidates = function* () {
      for (const x of dropSocketCandidates(asInterleaving(value))) {
        if (interleavingProblems(x).length === 0) yield { scenario: x.scenario, programs: x.programs };
      }
    };
    return new fc.Stream(candidates()).map((c) => new fc.Value<Cast>(c, undefined));
  }
}

/** Programs for a fixed cast; shrinks by dropping ops. */
export class ProgramsArbitrary extends fc.Arbitrary<readonly Program[]> {
  private readonly c: ResolvedConstraints;
  private readonly cast: Cast;

  constructor(cast: Cast, constraints: InterleavingConstraints = {}) {
    super();
    if (typeof cast !== "object" || cast === null) throw new InvalidOptionsError(`programsFor: the cast must be a { scenario, programs } value from scenarios(), got ${showValue(cast)}`);
    validateInterleaving({ scenario: cast.scenario, programs: cast.programs, schedule: [] });
    this.c = resolveConstraints(constraints, "programsFor");
    this.cast = cast;
  }

  generate(mrng: fc.Random): fc.Value<readonly Program[]> {
    return new fc.Value(
      drawPrograms(
        mrng,
        this.c,
        this.cast.scenario,
        this.cast.programs.map((p) => p.actor),
      ),
      undefined,
    );
  }

  canShrinkWithoutContext(value: unknown): value is readonly Program[] {
    return interleavingProblems({ scenario: this.cast.scenario, programs: value, schedule: [] }).length === 0;
  }

  shrink(value: readonly Program[]): fc.Stream<fc.Value<readonly Program[]>> {
    const x: Interleaving = { scenario: this.cast.scenario, programs: value, schedule: [] };
    return new fc.Stream(dropOps(x)).map((y) => new fc.Value<readonly Program[]>(y.programs, undefined));
  }
}

/** Scenarios (with actors) drawn under `constraints`. */
export function scenarios(constraints: InterleavingConstraints = {}): fc.Arbitrary<Cast> {
  return new ScenarioArbitrary(constraints);
}

/** Programs for `cast` drawn under `constraints`. */
export function programsFor(cast: Cast, constraints: InterleavingConstraints = {}): fc.Arbitrary<readonly Program[]> {
  return new ProgramsArbitrary(cast, constraints);
}
