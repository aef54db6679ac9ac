import * as zmq from "zeromq";
import { absentAddress, bindFresh, openLink, untilReadable, withSockets, type LinkKind, type Sends, type Transport } from "./links.js";
import { bump, issue, Journal, nextTurn, outcomeOf, settledNow, sleep, type Counts } from "./probe.js";

/**
 * When a single send or receive resumes its caller: with a joined peer (cases 1 and 4), with
 * no peer (case 2), and at the high-water mark (case 3).
 */

/** Outcome name of an op still pending after several loop turns: it waits for an event. */
export const WAITS = "waits";

/** Loop turns (and milliseconds) an op must stay pending to count as waiting. */
const WAIT_TURNS = 5;
const WAIT_MS = 5;

/** True when `p` is still pending after `WAIT_TURNS` loop turns and `WAIT_MS` ms. */
async function staysPending(p: Promise<unknown>): Promise<boolean> {
  for (let i = 0; i < WAIT_TURNS; i++) await nextTurn();
  await sleep(WAIT_MS);
  return !settledNow(p);
}

/** Case 1: `n` sends on a joined link below the high-water mark. */
export async function sendWithPeer(kind: LinkKind, transport: Transport, n = 50): Promise<Counts> {
  return withSockets(async (bag) => {
    const link = await openLink(bag, kind, transport);
    const counts: Counts = {};
    for (let i = 0; i < n; i++) {
      await link.before();
      const w = issue(new Journal(), "send", () => link.send(`m${i}`));
      bump(counts, outcomeOf(w.settledAtReturn, await w.resumed));
      await link.receive();
      await link.after();
    }
    return counts;
  });
}

/** Case 4: `n` receives of a message already queued (`queued`) or not sent yet (`empty`). */
export async function receiveTiming(kind: LinkKind, transport: Transport, queue: "queued" | "empty", n = 50): Promise<Counts> {
  return withSockets(async (bag) => {
    const link = await openLink(bag, kind, transport);
    const counts: Counts = {};
    for (let i = 0; i < n; i++) {
      await link.before();
      if (queue === "queued") {
        await link.send(`m${i}`);
        await untilReadable(link.receiver);
        const w = issue(new Journal(), "receive", () => link.receive());
        bump(counts, outcomeOf(w.settledAtReturn, await w.resumed));
      } else {
        const w = issue(new Journal(), "receive", () => link.receive());
        await nextTurn();
        await link.send(`m${i}`);
        bump(counts, outcomeOf(w.settledAtReturn, await w.resumed));
      }
      await link.after();
    }
    return counts;
  });
}

/** Socket types measured sending alone. */
export type LoneType = "push" | "dealer" | "req" | "pair" | "pub" | "xpub" | "router";

/** Every lone type, in table order. */
export const LONE_TYPES: readonly LoneType[] = ["push", "dealer", "req", "pair", "pub", "xpub", "router"];

function lone(type: LoneType): zmq.Socket & Sends {
  switch (type) {
    case "push":
      return new zmq.Push({ linger: 0 });
    case "dealer":
      return new zmq.Dealer({ linger: 0 });
    case "req":
      return new zmq.Request({ linger: 0 });
    case "pair":
      return new zmq.Pair({ linger: 0 });
    case "pub":
      return new zmq.Publisher({ linger: 0 });
    case "xpub":
      return new zmq.XPublisher({ linger: 0 });
    case "router":
      return new zmq.Router({ linger: 0 });
  }
}

/**
 * Case 2: `n` sends, each on a fresh socket with no peer: `bound` (bound, nobody connected)
 * or `connected` (connected to an address nobody listens on). A send still pending after a
 * few loop turns counts as `waits`; closing the socket then settles it.
 */
export async function sendWithoutPeer(type: LoneType, transport: Transport, side: "bound" | "connected", n = 50): Promise<Counts> {
  const counts: Counts = {};
  for (let i = 0; i < n; i++) {
    await withSockets(async (bag) => {
      const socket = bag.add(lone(type));
      if (side === "bound") await bindFresh(socket, transport);
      else socket.connect(await absentAddress(transport));
      const w = issue(new Journal(), "send", () => socket.send(type === "router" ? ["peer", `m${i}`] : `m${i}`));
      if (!w.settledAtReturn && (await staysPending(w.promise))) {
        bump(counts, WAITS);
        socket.close();
        const { settlement } = await w.resumed;
        bump(counts, settlement.kind === "rejected" ? `closeRejects:${settlement.code}` : "closeResolves");
      } else {
        bump(counts, outcomeOf(w.settledAtReturn, await w.resumed));
      }
    });
  }
  return counts;
}
