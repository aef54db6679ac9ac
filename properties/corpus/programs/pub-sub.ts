/**
 * A publisher and a subscriber with a slow-joiner handshake.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/pub-sub/publisher.ts and
 * examples/pub-sub/subscriber.ts; the handshake is the zguide's synchronized publisher
 * (https://github.com/booksbyus/zguide, examples/C/syncpub.c and syncsub.c).
 *
 * Concurrency kept: a PUBLISHER bound over tcp, and a subscriber task with a SUBSCRIBER read by
 * `for await`. Because a subscription reaches the publisher some time after `subscribe()`, the
 * publisher first sends "sync" probes, sleeping between them, until the subscriber answers on a
 * PUSH/PULL side channel; the publisher's single `receive()` on that channel stays pending across
 * the probes. Then the publisher sends its messages and "END". Shutdown order: the subscriber
 * leaves its loop with `break` at "END" and closes its sockets; the publisher closes its own.
 */
import { setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";

export interface PubSubOptions {
  /** Messages published after the handshake. Default 5. */
  readonly messages?: number;
  /** Pause between two probes, in ms. Default 2. */
  readonly probeMs?: number;
}

export interface PubSubResult {
  /** What the subscriber received on its topic, in order. */
  readonly received: readonly string[];
}

async function subscribe(publisherAddress: string, syncAddress: string): Promise<string[]> {
  const sub = new zmq.Subscriber();
  sub.connect(publisherAddress);
  sub.subscribe("kitty cats");
  sub.subscribe("sync");
  const ack = new zmq.Push();
  ack.connect(syncAddress);

  const received: string[] = [];
  let joined = false;
  for await (const [topic, msg] of sub) {
    if (String(topic) === "sync") {
      if (!joined) {
        joined = true;
        await ack.send("joined");
      }
      continue;
    }
    if (String(msg) === "END") break;
    received.push(String(msg));
  }
  sub.close();
  ack.close();
  return received;
}

export async function run(options: PubSubOptions = {}): Promise<PubSubResult> {
  const messages = options.messages ?? 5;
  const pub = new zmq.Publisher();
  await pub.bind("tcp://127.0.0.1:*");
  const sync = new zmq.Pull();
  await sync.bind("tcp://127.0.0.1:*");

  const subscriber = subscribe(pub.lastEndpoint as string, sync.lastEndpoint as string);

  let joined = false;
  const handshake = sync.receive().then(() => {
    joined = true;
  });
  while (!joined) {
    await pub.send(["sync", ""]);
    await sleep(options.probeMs ?? 2);
  }
  await handshake;

  for (let i = 1; i <= messages; i++) await pub.send(["kitty cats", `meow ${i}`]);
  await pub.send(["kitty cats", "END"]);

  const received = await subscriber;
  pub.close();
  sync.close();
  return { received };
}
