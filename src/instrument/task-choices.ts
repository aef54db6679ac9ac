import type { Selector } from "../schedule/strategy.js";
import type { Held } from "./held.js";

/**
 * The scheduler's choice points, as strategies see them: each candidate is keyed by the lane
 * it moves (its caller's task, or a timer's own task), with the sockets it touches as
 * resources; the strategy also learns which lane moved last (`current`) and which moved
 * without a choice since the last point (`since`), which PCT and the exhaustive search need.
 */
export class TaskChoices {
  private readonly selector: Selector;
  /** The key of the timer that fires next (its task's node). */
  private readonly timerKey: () => string;
  /** The lane that moved last, and those that moved without a choice since the last point. */
  private lastKey: string | null = null;
  private since: string[] = [];

  constructor(selector: Selector, timerKey: () => string) {
    this.selector = selector;
    this.timerKey = timerKey;
  }

  /** The lane a candidate moves, as strategies key tasks. */
  keyOf(c: Held | "timer"): string {
    return c === "timer" ? this.timerKey() : `t${c.record.actor.thread}.${c.record.actor.task}`;
  }

  /** `c`'s lane moved (chosen or not). */
  moved(c: Held | "timer"): void {
    const key = this.keyOf(c);
    this.lastKey = key;
    this.since.push(key);
  }

  /** Asks the selector which candidate goes now (the caller then calls `moved` for it). */
  choose(candidates: readonly (Held | "timer")[]): number {
    const seen = new Map<string, number>();
    const keys = candidates.map((c) => {
      const key = this.keyOf(c);
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      return n === 1 ? key : `${key}#${n}`;
    });
    const resources = candidates.map((c) => (c === "timer" ? undefined : [...c.socket.endpoints, `socket:${c.socket.name}`]));
    const current = this.lastKey === null ? -1 : keys.indexOf(this.lastKey);
    const i = this.selector.select({ kind: "task", candidates: keys.map((key, k) => ({ key, resources: resources[k] })), current, since: this.since });
    this.since = [];
    return i;
  }
}
