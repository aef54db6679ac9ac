import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { History } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { checkDelivery } from "../../src/model/delivery.js";

const any = interleavings({ threads: 2, tasksPerThread: 3, maxLinks: 3, maxPeers: 3, maxOps: 6, owner: "any", transport: "any" });
const legal = interleavings({ ownership: "respect", threads: 2, tasksPerThread: 3, maxLinks: 3, maxPeers: 3, maxOps: 8, transport: "any" });

/** Problems with the shape of a history: returns without invokes, double returns, ops issued while blocked. */
function shapeProblems(history: History): string[] {
  const open = new Map<string, boolean>();
  const returned = new Set<string>();
  const blocked = new Set<string>();
  const out: string[] = [];
  for (const e of history) {
    const who = `${e.actor.thread}/${e.actor.task}`;
    const k = `${who}#${e.index}`;
    if (e.kind === "invoke") {
      if (blocked.has(who)) out.push(`${k} invoked while ${who} awaits an op`);
      if (open.has(k)) out.push(`${k} invoked twice`);
      const awaited = e.op.kind === "send" || e.op.kind === "recv" ? !e.op.nowait : true;
      open.set(k, awaited);
      if (awaited) blocked.add(who);
    } else {
      if (!open.has(k)) out.push(`${k} returned without an invoke`);
      if (returned.has(k)) out.push(`${k} returned twice`);
      returned.add(k);
      if (open.get(k) === true) blocked.delete(who);
    }
  }
  return out;
}

test.prop([any], { numRuns: 1500 })("histories are well formed: each op invoked once, returns at most once, awaited ops block their task", (x) => {
  expect(shapeProblems(checkInterleaving(x).history)).toEqual([]);
});

test.prop([legal], { numRuns: 1500 })("legal runs deliver: nothing lost, duplicated or invented; FIFO per pipe; topics filtered", (x) => {
  const r = checkInterleaving(x);
  expect(r.verdict.kind).not.toBe("violation");
  expect(checkDelivery(x.scenario, r.history)).toEqual({ kind: "ok" });
});

test.prop([any], { numRuns: 1500 })("every run delivers up to its violation", (x) => {
  const r = checkInterleaving(x);
  expect(checkDelivery(x.scenario, r.history, { complete: r.verdict.kind !== "violation" })).toEqual({ kind: "ok" });
});
