import type { SocketType } from "../interleaving/types.js";

/**
 * Facts of the zeromq.js profile (zeromq 6.8.0 / libzmq 4.3.5) the model and the validator
 * share: which types send and receive, which pairs link, and how a sender picks peers.
 */

/** Types whose `send` the model and the executor support. XSUB sends subscriptions via `subscribe`. */
export function canSend(type: SocketType): boolean {
  return type !== "sub" && type !== "pull" && type !== "xsub";
}

/** Types that can `receive`. */
export function canRecv(type: SocketType): boolean {
  return type !== "pub" && type !== "push";
}

/** Types that take `subscribe`/`unsubscribe`. */
export function canSubscribe(type: SocketType): boolean {
  return type === "sub" || type === "xsub";
}

/**
 * Types whose send goes to exactly one connected peer chosen by load balancing. The model
 * cannot predict which of several peers libzmq picks, so such a socket may have one peer only.
 */
export function isSinglePeerSender(type: SocketType): boolean {
  return type === "push" || type === "dealer" || type === "req" || type === "pair";
}

const LINKS: ReadonlyArray<readonly [SocketType, SocketType]> = [
  ["pub", "sub"],
  ["xpub", "sub"],
  ["pub", "xsub"],
  ["xpub", "xsub"],
  ["push", "pull"],
  ["dealer", "router"],
  ["dealer", "dealer"],
  ["req", "rep"],
  ["req", "router"],
  ["dealer", "rep"],
  ["pair", "pair"],
];

/** Whether sockets of types `a` and `b` may be linked (either may bind). */
export function canLink(a: SocketType, b: SocketType): boolean {
  return LINKS.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** The types `type` may be linked with. */
export function linkPartners(type: SocketType): SocketType[] {
  const out: SocketType[] = [];
  for (const [x, y] of LINKS) {
    if (x === type && !out.includes(y)) out.push(y);
    if (y === type && !out.includes(x)) out.push(x);
  }
  return out;
}

/** zeromq.js resolves at most this many consecutive ops on one socket synchronously (zeromq.js#406). */
export const MAX_SYNC_OPERATIONS = 512;

/** The frame an XPUB receives for a subscription (`0x01` + topic) or an unsubscription (`0x00` + topic). */
export function subscriptionFrame(subscribe: boolean, topic: string): string {
  return (subscribe ? "\u0001" : "\u0000") + topic;
}
