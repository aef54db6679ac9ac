/**
 * Sample shaping for the kit suites. The kit's arbitraries bound actors and ops (`maxOps`,
 * `minOps`) but do not fix them: under `ownership: "respect"` an actor that owns no socket
 * gets no op, and a program can end early. A case that measures "4 actors x 5 ops" keeps
 * the generated interleavings of exactly that shape, drawn reproducibly from a seed, and
 * says how many draws it took.
 */
import fc from "fast-check";
import { BenchError } from "../rig/errors.js";
import type { Interleaving } from "../../src/interleaving/types.js";

/** The shape a case measures. */
export interface Shape {
  /** actors with at least one op (actors without ops are left in: they never move) */
  readonly actors: number;
  /** ops of every such actor */
  readonly ops: number;
  /** distinct threads those actors run on; any number when absent */
  readonly threads?: number;
}

/** What an interleaving looks like, counting only actors that have ops. */
export interface ShapeFound {
  readonly actors: number;
  /** ops per acting actor, in program order */
  readonly ops: readonly number[];
  readonly threads: number;
  /** programs without any op */
  readonly idle: number;
}

/** The shape of `x`. */
export function shapeOf(x: Interleaving): ShapeFound {
  const acting = x.programs.filter((p) => p.ops.length > 0);
  return {
    actors: acting.length,
    ops: acting.map((p) => p.ops.length),
    threads: new Set(acting.map((p) => p.actor.thread)).size,
    idle: x.programs.length - acting.length,
  };
}

/** Whether `x` has exactly `shape`. */
export function hasShape(x: Interleaving, shape: Shape): boolean {
  const found = shapeOf(x);
  return (
    found.actors === shape.actors &&
    found.ops.every((n) => n === shape.ops) &&
    (shape.threads === undefined || found.threads === shape.threads)
  );
}

/** "4 actors x 5 ops on 3 threads" */
export function shapeLabel(shape: Shape): string {
  const threads = shape.threads === undefined ? "" : ` on ${shape.threads} thread${shape.threads === 1 ? "" : "s"}`;
  return `${shape.actors} actors x ${shape.ops} ops${threads}`;
}

/** How to draw shaped samples. */
export interface DrawOptions {
  readonly count: number;
  readonly seed: number;
  /** give up (BAD_SUITE) after this many draws; default 200 x count */
  readonly maxDraws?: number;
}

/** `count` values of `arb` that have `shape`, and how many draws that took. */
export interface Shaped {
  readonly samples: readonly Interleaving[];
  // invariant: draws >= samples.length
  readonly draws: number;
}

/**
 * Draws from `arb` with `seed` and keeps the values of `shape` until there are `count`.
 * The same arbitrary, shape and seed give the same samples.
 */
export function drawShaped(arb: fc.Arbitrary<Interleaving>, shape: Shape, options: DrawOptions): Shaped {
  const maxDraws = options.maxDraws ?? 200 * options.count;
  let draws = 0;
  const shaped = arb.filter((x) => {
    draws += 1;
    if (draws > maxDraws) {
      throw new BenchError("BAD_SUITE", `only a few of ${maxDraws} generated interleavings have ${shapeLabel(shape)}; widen the constraints or the shape`);
    }
    return hasShape(x, shape);
  });
  const samples = options.count === 0 ? [] : fc.sample(shaped, { numRuns: options.count, seed: options.seed });
  return { samples, draws };
}
