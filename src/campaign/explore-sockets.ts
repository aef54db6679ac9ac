import { validateInterleaving } from "../interleaving/validate.js";
import type { Interleaving } from "../interleaving/types.js";
import { runInterleaving } from "../runtime/executor.js";
import type { RunOptions } from "../runtime/options.js";
import type { RunVerdict } from "../runtime/result.js";
import { seededRandom } from "../schedule/seeded.js";
import { CoverageTally } from "./coverage.js";
import { finish, resolveExplore, type ExploreFailure, type ExploreOptions, type ExploreResult } from "./explore.js";

/** Options of `exploreOnSockets`: the search, and how each run goes on real sockets. */
export interface SocketExploreOptions extends ExploreOptions {
  /** Options of each real run (a `pool` is worth giving; `selector` is the search's own). */
  readonly run?: Omit<RunOptions, "selector">;
}

/**
 * `explore` on real sockets: each run of the search is a real run (guarded by default), its
 * schedule picked live by the strategy at each point where two or more actors can move. Races
 * go as the binding makes them go. A run that is not ok (a violation, stuck, diverged, unknown)
 * is a failure; it comes back with the plain schedule that replays it.
 */
export async function exploreOnSockets(x: Interleaving, options: SocketExploreOptions = {}): Promise<ExploreResult<RunVerdict>> {
  validateInterleaving(x);
  const o = resolveExplore(options);
  const tally = new CoverageTally(`${o.source} on sockets`);
  const random = seededRandom(o.seed);
  let runs = 0;
  let failure: ExploreFailure<RunVerdict> | null = null;
  while (runs < o.budget) {
    const selector = o.strategy.begin(random);
    if (selector === null) break;
    const r = await runInterleaving(x, { ...options.run, selector });
    runs++;
    tally.add({ verdict: r.verdict, history: r.history, preemptions: r.preemptions, steps: r.steps });
    if (r.verdict.kind !== "ok" && failure === null) {
      failure = { interleaving: r.interleaving, verdict: r.verdict, run: runs - 1 };
      if (o.stopAtFailure) break;
    }
  }
  return finish(o, runs, failure, tally);
}
