/**
 * Proof that every subscriber has joined before anything is timed or counted (the slow
 * joiner: a SUB misses what is published before its subscription reaches the publisher).
 * Publishes probes until each subscriber has received one, then a fence; once every
 * subscriber has the fence, no probe is still in flight.
 */
import { setTimeout as delay } from "node:timers/promises";
import { BenchError } from "./errors.js";
import { fenceFrame, probeFrame } from "./frames.js";
import type { DeliveryCounter } from "./delivery.js";

/** What proving the join took. */
export interface JoinProof {
  readonly probes: number;
  readonly ms: number;
}

/**
 * Publishes probes through `publish` every `intervalMs` until `counter` shows a probe at
 * every subscriber, then a fence, and waits for the fence everywhere. Throws JOIN_TIMEOUT
 * after `timeoutMs`.
 */
export async function proveJoin(
  publish: (frame: Buffer) => Promise<void>,
  counter: DeliveryCounter,
  timeoutMs = 10_000,
  intervalMs = 1,
): Promise<JoinProof> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const probe = probeFrame();
  let probes = 0;
  while (counter.counts("probe").some((c) => c === 0)) {
    if (elapsed() > timeoutMs) {
      throw new BenchError("JOIN_TIMEOUT", `subscribers ${JSON.stringify(counter.counts("probe"))} probes after ${probes} sent in ${timeoutMs} ms: is the address right and the context shared?`);
    }
    await publish(probe);
    probes += 1;
    await delay(intervalMs);
  }
  const targets = counter.targetsAbove(1, "fence");
  await publish(fenceFrame());
  const arrival = await counter.until("fence", targets, Math.max(1, timeoutMs - elapsed()));
  if (arrival.kind === "timed-out") {
    throw new BenchError("JOIN_TIMEOUT", `the fence did not reach every subscriber within ${timeoutMs} ms (fences ${JSON.stringify(arrival.counts)})`);
  }
  return { probes, ms: elapsed() };
}
