/**
 * A hand-written XSUB/XPUB forwarder between a publisher and a subscriber, over tcp.
 *
 * Follows https://github.com/zeromq/zeromq.js, test/unit/socket-xpub-xsub-test.ts ("should
 * deliver messages" and "should filter messages": PUB -> XSUB -> XPUB -> SUB, two forwarding
 * loops and a publisher that sleeps 25 ms against the slow joiner), and the zguide's
 * espresso/wuproxy forwarders (https://github.com/booksbyus/zguide, examples/C/wuproxy.c) written
 * as two loops instead of `zmq_proxy`.
 *
 * Concurrency kept: the publisher binds a PUB and the forwarder an XPUB; the forwarder's XSUB
 * connects to the PUB and the subscriber's SUB to the XPUB, subscribing to two prefixes and then
 * dropping one. Four tasks at once: the subscriptions loop (`for await` on the XPUB, each
 * subscription sent on the XSUB), the messages loop (`for await` on the XSUB, each message sent
 * on the XPUB), the publisher (publishes four topics in a row, then sleeps 25 ms, round after
 * round until the subscriber is done, as the zguide's weather server publishes for ever) and the
 * subscriber (`for await` until it has the two messages it subscribed to). So each forwarder
 * socket is read by one loop and written by the other, and a subscription crosses two tcp hops
 * and a loop while the publisher's rounds go by. (Publishing once after the sleep, as the test
 * does, is the slow joiner with a sleep: on a loaded machine the subscription is not there in
 * time and the subscriber waits for ever, raw or under the kit.) Shutdown order: the subscriber
 * breaks out of its loop and closes; the publisher stops after its sleep; then the XPUB and XSUB
 * are closed under the loops' pending receives (the loops end); then the PUB.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Publisher, Subscriber, XPublisher, XSubscriber } from "zeromq";

export interface ForwarderOptions {
  /** The publisher's sleep between rounds, in ms. Default 25. */
  readonly roundMs?: number;
}

export interface ForwarderResult {
  /** What the subscriber received, in order ("bar" and "baz"; "baz" first when its subscription reached the publisher mid-round). */
  readonly received: readonly string[];
  /** Subscriptions the subscriptions loop forwarded. */
  readonly subscriptions: number;
  /** Messages the messages loop forwarded (two a round once the subscription is there). */
  readonly messages: number;
}

const TOPICS = ["foo", "bar", "baz", "qux"];

async function forward(from: XPublisher | XSubscriber, to: XPublisher | XSubscriber): Promise<number> {
  let forwarded = 0;
  for await (const message of from) {
    // A close can hand the loop one more message that had arrived: the other socket may be closed by then.
    if (to.closed) break;
    await to.send(message);
    forwarded++;
  }
  return forwarded;
}

export async function run(options: ForwarderOptions = {}): Promise<ForwarderResult> {
  const pub = new Publisher();
  await pub.bind("tcp://127.0.0.1:*");
  const xpub = new XPublisher();
  await xpub.bind("tcp://127.0.0.1:*");
  const xsub = new XSubscriber();
  xsub.connect(pub.lastEndpoint as string);
  const sub = new Subscriber();
  sub.connect(xpub.lastEndpoint as string);
  sub.subscribe("ba", "qu");
  sub.unsubscribe("qu");

  const subscriptions = forward(xpub, xsub);
  const messages = forward(xsub, xpub);

  let done = false;
  const publishing = (async () => {
    while (!done) {
      for (const topic of TOPICS) await pub.send(topic);
      await sleep(options.roundMs ?? 25);
    }
  })();

  const received: string[] = [];
  for await (const [topic] of sub) {
    received.push(String(topic));
    if (received.length === 2) break;
  }
  done = true;
  sub.close();
  await publishing;

  xpub.close();
  xsub.close();
  const counts = await Promise.all([subscriptions, messages]);
  pub.close();
  return { received, subscriptions: counts[0], messages: counts[1] };
}
