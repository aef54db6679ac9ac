import * as zmq from "zeromq";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { schedules } from "../../src/arbitraries/schedules.js";
import { DELIVERY_RULES, type DeliveryRule } from "../../src/instrument/delivery.js";
import { createInstrumentedZmq, instrumentationOf } from "../../src/instrument/instrument.js";
import { realClearTimeout, realSetTimeout } from "../../src/instrument/real-time.js";
import { corpus } from "../corpus/index.js";
import { orderingBreach } from "./ordering-rules.js";

// The corpus programs import "zeromq" themselves; the runs below go through this module.
vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));

/** Correct corpus programs quick enough for a property: inproc and tcp, timers, a send queue, a request map, for-await loops, an XPUB, a proxy. */
const PROGRAMS = ["queue", "req-rep", "request-map", "graceful-shutdown", "xpub-poller", "kernel-client", "pub-sub", "lazy-pirate", "heartbeat", "proxy"];
/**
 * One socket with two ops completed by one network event: a tcp DEALER bound with no peer has
 * a receive and a send pending; a peer connects and sends, so both complete from libzmq's I/O
 * thread at about the same time (binding timing R11: both orders occur over tcp, and the kit
 * keeps the one that happened).
 */
async function sameSocket(): Promise<void> {
  const { Dealer } = await import("zeromq");
  const a = new Dealer({ linger: 0 });
  await a.bind("tcp://127.0.0.1:*");
  const got = a.receive();
  const sent = a.send("x");
  const b = new Dealer({ linger: 0 });
  b.connect(a.lastEndpoint ?? "");
  await b.send("y");
  await Promise.all([got, sent, b.receive()]);
  a.close();
  b.close();
}

/**
 * Two sockets, each sent on by two tasks, then one more send on each from two tasks at once:
 * both last sends are hazard points (an op that completes at once may be held as the 513th),
 * so two such ops can be held together (binding timing R9: they come out last-issued first).
 */
async function twoHazards(): Promise<void> {
  const { Publisher } = await import("zeromq");
  const id = Math.random().toString(36).slice(2);
  const p1 = new Publisher({ linger: 0 });
  const p2 = new Publisher({ linger: 0 });
  await p1.bind(`inproc://hazards-${id}-1`);
  await p2.bind(`inproc://hazards-${id}-2`);
  await Promise.all([(async () => p1.send("warm"))(), (async () => p2.send("warm"))()]);
  await Promise.all([(async () => p1.send("x"))(), (async () => p2.send("y"))()]);
  p1.close();
  p2.close();
}

const programs: readonly { readonly name: string; readonly run: () => Promise<unknown> }[] = [
  ...corpus.filter((p) => PROGRAMS.includes(p.name)),
  { name: "same-socket", run: sameSocket },
  { name: "two-hazards", run: twoHazards },
];

/** One run of `name` under `schedule` with deliveries traced; the first ordering breach, or null. */
async function breachOf(name: string, [schedule, races]: readonly [readonly number[], readonly number[]], relax: readonly DeliveryRule[]): Promise<string | null> {
  const p = programs.find((x) => x.name === name);
  if (p === undefined) throw new Error(name);
  const inst = instrumentationOf(zmq);
  await inst?.idle();
  const run = createInstrumentedZmq({ zmq, schedule, races, trace: true, relax });
  let timer: NodeJS.Timeout | undefined;
  try {
    // A program may never end under a wrong order (a reply dropped, say): the trace up to then is what counts.
    const limit = new Promise<void>((resolve) => (timer = realSetTimeout(resolve, 3_000)));
    await Promise.race([run.main(() => p.run()).catch(() => undefined), limit]);
    await Promise.race([run.settle(3_000), limit]);
    held += run.scheduler.trace.filter((e) => e.kind === "hold").length;
    return orderingBreach(run.scheduler.trace);
  } finally {
    realClearTimeout(timer);
    run.dispose();
    inst?.end(run);
  }
}

/** Completions held over the property's runs (a property over runs that hold nothing would prove nothing). */
let held = 0;

/** A program, and its choices: delivery choices and hazard choices, at the default rate or every one a reordering. */
const choices = fc.oneof(fc.tuple(schedules(), schedules()), fc.tuple(schedules({ preemptionRate: 1, maxChoice: 10, maxLength: 60 }), schedules({ preemptionRate: 1, maxChoice: 10, maxLength: 60 })));
const runs = fc.tuple(fc.constantFrom(...programs.map((p) => p.name)), choices);

describe("the completion scheduler produces only orders the binding can produce", () => {
  it("every order it hands completions over in obeys the measured rules (R1, R3, R5, R7, R9, R10, R11)", async () => {
    await fc.assert(
      fc.asyncProperty(runs, async ([name, picks]) => {
        expect(await breachOf(name, picks, [])).toBeNull();
      }),
      { numRuns: 60 },
    );
    expect(held).toBeGreaterThan(100);
  }, 300_000);

  it("with the old delivery rule (every completion held, any order) the property fails", async () => {
    const details = await fc.check(
      fc.asyncProperty(runs, async ([name, picks]) => {
        expect(await breachOf(name, picks, DELIVERY_RULES)).toBeNull();
      }),
      { numRuns: 60, seed: 20261207 },
    );
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/R1: /);
  }, 300_000);
});

/** Programs that exercise each rule (every rule is exercised by the whole list; these make its evidence quick). */
const EXERCISES: Readonly<Record<DeliveryRule, readonly string[]>> = {
  "at-once": ["req-rep", "queue"],
  "send-before-receive": ["request-map", "req-rep", "queue"],
  "socket-order": ["same-socket"],
  "inproc-order": ["request-map", "kernel-client", "queue"],
  "deferred-order": ["two-hazards"],
  "receive-in-send": ["heartbeat"],
};

describe("each measured rule is needed (one relaxed at a time)", () => {
  for (const rule of DELIVERY_RULES) {
    it(`without "${rule}" the property fails`, async () => {
      const exercising = fc.tuple(fc.constantFrom(...EXERCISES[rule]), choices);
      const details = await fc.check(
        fc.asyncProperty(exercising, async ([name, picks]) => {
          expect(await breachOf(name, picks, [rule])).toBeNull();
        }),
        { numRuns: 200, seed: 20261207 },
      );
      expect(details.failed).toBe(true);
    }, 300_000);
  }
});
