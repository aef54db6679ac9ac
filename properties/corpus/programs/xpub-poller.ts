/**
 * An XPUB that publishes only what is wanted, reading subscriptions from the same task.
 *
 * Follows the publisher of https://github.com/zeromq/pyzmq/issues/2043 (one XPUB that publishes
 * and also reads its subscription events, there from two threads), written the safe way, poller
 * style, as the zguide's last value cache does (https://github.com/booksbyus/zguide,
 * examples/C/lvcache.c: one loop that reads subscriptions from the XPUB and publishes on it).
 *
 * Concurrency kept: one task owns the XPUB bound over inproc. Each round it reads every pending
 * subscription event while `readable` is true (no receive is ever pending while it checks
 * `readable`), publishes the next value of every topic someone wants, and sleeps a little.
 * Subscriber tasks each own a SUBSCRIBER, subscribe to one topic, take a fixed number of values
 * with `for await` and unsubscribe. The publisher stops after it has seen every topic unsubscribed.
 * Shutdown order: publisher loop ends, then the subscribers' and the publisher's sockets close.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Subscriber, XPublisher } from "zeromq";

export interface XpubPollerOptions {
  /** One subscriber per topic. Default ["ACME", "INIT"]. */
  readonly topics?: readonly string[];
  /** Values each subscriber takes. Default 4. */
  readonly values?: number;
  /** Pause between publishing rounds, ms. Default 1. */
  readonly roundMs?: number;
}

export interface XpubPollerResult {
  /** What each subscriber received, by topic. */
  readonly received: Readonly<Record<string, readonly string[]>>;
  /** The subscription events the publisher read (`+topic`, `-topic`), sorted. */
  readonly events: readonly string[];
}

async function publish(xpub: XPublisher, topics: number, roundMs: number): Promise<string[]> {
  const wanted = new Set<string>();
  const next = new Map<string, number>();
  const events: string[] = [];
  let gone = 0;
  while (gone < topics) {
    while (xpub.readable) {
      const [event] = await xpub.receive();
      if (event === undefined || event.length === 0) continue;
      const topic = event.subarray(1).toString();
      if (event[0] === 1) {
        wanted.add(topic);
        events.push(`+${topic}`);
      } else {
        wanted.delete(topic);
        events.push(`-${topic}`);
        gone++;
      }
    }
    for (const topic of wanted) {
      const value = (next.get(topic) ?? 0) + 1;
      next.set(topic, value);
      await xpub.send([topic, String(value)]);
    }
    await sleep(roundMs);
  }
  return events.sort();
}

async function take(sub: Subscriber, topic: string, values: number): Promise<string[]> {
  const got: string[] = [];
  for await (const [, value] of sub) {
    got.push(String(value));
    if (got.length === values) break;
  }
  sub.unsubscribe(topic);
  return got;
}

export async function run(options: XpubPollerOptions = {}): Promise<XpubPollerResult> {
  const topics = options.topics ?? ["ACME", "INIT"];
  const values = options.values ?? 4;

  const xpub = new XPublisher();
  await xpub.bind(`inproc://corpus-${randomUUID()}`);

  const subs = topics.map((topic) => {
    const sub = new Subscriber();
    sub.connect(xpub.lastEndpoint as string);
    sub.subscribe(topic);
    return { topic, sub };
  });
  const taking = Promise.all(subs.map(({ topic, sub }) => take(sub, topic, values)));

  const events = await publish(xpub, topics.length, options.roundMs ?? 1);
  const got = await taking;

  for (const { sub } of subs) sub.close();
  xpub.close();
  return { received: Object.fromEntries(topics.map((t, i) => [t, got[i] ?? []])), events };
}
