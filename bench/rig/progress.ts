/**
 * Progress lines for a long run: the estimate up front, then one line per finished run
 * with elapsed time and a remaining-time guess scaled by how the estimate has held so far.
 */
import { formatDuration } from "./format.js";

/** Prints progress of `total` runs whose estimated durations are known in advance. */
export class Progress {
  readonly #estimates: readonly number[];
  readonly #write: (line: string) => void;
  readonly #started = performance.now();
  #done = 0;
  #estimatedDone = 0;

  /** `estimates[i]` is the expected duration of run i, in run order. */
  constructor(estimates: readonly number[], write: (line: string) => void) {
    this.#estimates = estimates;
    this.#write = write;
  }

  /** Sum of all estimates, in ms. */
  get estimateMs(): number {
    return this.#estimates.reduce((s, e) => s + e, 0);
  }

  /** Wall time since construction, in ms. */
  get elapsedMs(): number {
    return performance.now() - this.#started;
  }

  /** Records that the next run finished, printing `label` and `detail`. */
  step(label: string, detail: string): void {
    this.#estimatedDone += this.#estimates[this.#done] ?? 0;
    this.#done += 1;
    const elapsed = this.elapsedMs;
    const pace = this.#estimatedDone > 0 ? elapsed / this.#estimatedDone : 1;
    const left = Math.max(0, (this.estimateMs - this.#estimatedDone) * pace);
    const total = String(this.#estimates.length);
    this.#write(`[${String(this.#done).padStart(total.length)}/${total}] ${formatDuration(elapsed)} elapsed, ~${formatDuration(left)} left · ${label} · ${detail}`);
  }
}
