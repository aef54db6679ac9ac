import fc from "fast-check";
import type { Interleaving } from "../interleaving/types.js";
import { interleavingProblems } from "../interleaving/validate.js";
import { timelinePrinter } from "../report/printer.js";
import { optionalFunction, optionsRecord } from "../input/options.js";
import { CONSTRAINT_KEYS, resolveConstraints, type InterleavingConstraints, type ResolvedConstraints } from "./constraints.js";
import { drawInterleaving } from "./generate.js";
import { shrinkInterleaving } from "./shrink.js";

/** How a generated interleaving prints in a counterexample. */
export type Printer = (x: Interleaving) => string;

/** Options of `interleavings`. */
export interface InterleavingArbitraryOptions extends InterleavingConstraints {
  /** How values print in fast-check reports (default: the model's timeline and the replay line, see `timelinePrinter`). */
  readonly print?: Printer;
}

/** Gives `x` a (non-enumerable) fast-check `toStringMethod`, so reports print it with `print`. */
export function withPrinter(x: Interleaving, print: Printer): Interleaving {
  if (!Object.prototype.hasOwnProperty.call(x, fc.toStringMethod)) {
    Object.defineProperty(x, fc.toStringMethod, { value: () => print(x), enumerable: false });
  }
  return x;
}

/** The model's timeline of the value, ending with its replay line. */
const defaultPrinter: Printer = timelinePrinter();

/**
 * Generates whole interleavings (scenario, programs, schedule) under `constraints` and shrinks
 * them without context: drop actors, ops, sockets, then lower schedule choices toward 0, then
 * simplify payloads. Any valid interleaving can be shrunk, including one parsed from a replay line.
 */
export class InterleavingArbitrary extends fc.Arbitrary<Interleaving> {
  readonly constraints: ResolvedConstraints;
  private readonly print: Printer;

  constructor(options: InterleavingArbitraryOptions = {}) {
    super();
    const { print, ...constraints } = optionsRecord("interleavings", options, [...CONSTRAINT_KEYS, "print"]);
    this.constraints = resolveConstraints(constraints, "interleavings");
    this.print = optionalFunction<Printer>("interleavings: print", print) ?? defaultPrinter;
  }

  generate(mrng: fc.Random): fc.Value<Interleaving> {
    return new fc.Value(withPrinter(drawInterleaving(mrng, this.constraints), this.print), undefined);
  }

  canShrinkWithoutContext(value: unknown): value is Interleaving {
    return interleavingProblems(value).length === 0;
  }

  shrink(value: Interleaving): fc.Stream<fc.Value<Interleaving>> {
    const print = this.print;
    return new fc.Stream(shrinkInterleaving(value)).map((x) => new fc.Value(withPrinter(x, print), undefined));
  }
}

/** An arbitrary of interleavings; see `InterleavingConstraints` for what it draws. */
export function interleavings(options: InterleavingArbitraryOptions = {}): fc.Arbitrary<Interleaving> {
  return new InterleavingArbitrary(options);
}
