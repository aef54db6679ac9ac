/**
 * Seeded order bugs of depth 1, 2 and 3 as model interleavings: programs that fail only when
 * the schedule puts a few ops in one particular order, with a property over the model's
 * history that says when they did.
 *
 * - `overtake-d`: a client sends a config, then d jobs, each on its own socket (push/pull over
 *   inproc) and after other work of its own (three sends to a sink); one task receives the
 *   config, one task per job receives its job. The service misbehaves when all d jobs are
 *   received before the config: d overtakings, the config's receiver starved meanwhile.
 * - `ping-pong-d`: two tasks send on their own sockets; the bug needs their sends to alternate
 *   d times, starting with the task that does not run first (b1 < a1 < b2 < a2 ...): d ordering
 *   constraints that no single priority order meets, PCT's notion of depth.
 */
import { actorName } from "../../src/interleaving/actor.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { History, Interleaving } from "../../src/interleaving/types.js";
import type { CheckResult } from "../../src/model/check.js";

/** One seeded bug. */
export interface OrderBug {
  readonly name: string;
  readonly family: "overtake" | "ping-pong";
  readonly depth: number;
  readonly interleaving: Interleaving;
  /** Does this run show the bug? */
  readonly fails: (r: CheckResult) => boolean;
  /** Tasks that take part (n in PCT's bound). */
  readonly tasks: number;
}

function returnsOf(history: History, actor: string): number[] {
  const out: number[] = [];
  history.forEach((e, k) => {
    if (e.kind === "return" && actorName(e.actor) === actor) out.push(k);
  });
  return out;
}

/** Noise ops between the client's sends: awaited sends of its own to a sink nobody reads. */
const NOISE = 3;

function overtake(d: number): OrderBug {
  const sockets = ["s0 pull main/t1 bind e0", "s1 push main/t0 connect e0"];
  const noise = (k: number) => Array.from({ length: NOISE }, (_, i) => `send n1 "n${k}.${i}"`);
  const client = ['send s1 "config"'];
  const handlers: string[] = ["main/t1: recv s0"];
  for (let i = 1; i <= d; i++) {
    sockets.push(`s${2 * i} pull main/t${i + 1} bind e${i}`, `s${2 * i + 1} push main/t0 connect e${i}`);
    client.push(...noise(i), `send s${2 * i + 1} "job${i}"`);
    handlers.push(`main/t${i + 1}: recv s${2 * i}`);
  }
  sockets.push(`n0 pull main/t0 bind en`, `n1 push main/t0 connect en`);
  const text = ["zi1 thread inproc", ...sockets, `main/t0: ${client.join(", ")}`, ...handlers, "schedule"].join(" | ");
  const jobs = Array.from({ length: d }, (_, i) => `main/t${i + 2}`);
  return {
    name: `overtake-${d}`,
    family: "overtake",
    depth: d,
    interleaving: parseInterleaving(text),
    tasks: d + 2,
    fails: (r) => {
      const config = returnsOf(r.history, "main/t1")[0];
      if (config === undefined) return false;
      return jobs.every((j) => (returnsOf(r.history, j)[0] ?? Infinity) < config);
    },
  };
}

function pingPong(d: number): OrderBug {
  // Enough sends on each side for d alternations starting with b.
  const n = Math.ceil((d + 1) / 2);
  const a = Array.from({ length: n }, (_, i) => `send s1 "a${i + 1}"`);
  const b = Array.from({ length: n }, (_, i) => `send s3 "b${i + 1}"`);
  const text = ["zi1 thread inproc", "s0 pull main/t2 bind e0", "s1 push main/t0 connect e0", "s2 pull main/t2 bind e1", "s3 push main/t1 connect e1", `main/t0: ${a.join(", ")}`, `main/t1: ${b.join(", ")}`, "main/t2:", "schedule"].join(" | ");
  // The chain b1 < a1 < b2 < a2 ..., d + 1 sends long.
  const chain = Array.from({ length: d + 1 }, (_, k) => (k % 2 === 0 ? `b${k / 2 + 1}` : `a${(k + 1) / 2}`));
  return {
    name: `ping-pong-${d}`,
    family: "ping-pong",
    depth: d,
    interleaving: parseInterleaving(text),
    tasks: 2,
    fails: (r) => {
      const order = r.history.flatMap((e) => (e.kind === "invoke" && e.op.kind === "send" ? [e.op.payload] : []));
      let at = -1;
      for (const p of chain) {
        const k = order.indexOf(p);
        if (k <= at) return false;
        at = k;
      }
      return true;
    },
  };
}

/** Every seeded bug, by family and depth. */
export const ORDER_BUGS: readonly OrderBug[] = [overtake(1), overtake(2), overtake(3), pingPong(1), pingPong(2), pingPong(3)];
