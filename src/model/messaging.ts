import { subscriptionFrame } from "./profile.js";
import { DEALER, PAIR, PUB, PULL, PUSH, REP, REQ, ROUTER, SOCKET_TYPE_NAMES, SUB, XPUB, XSUB } from "./type-codes.js";
import type { LateFrame, Message, ModelState, SocketState } from "./state.js";

/**
 * How messages move between linked sockets in the model: readiness (what `readable` and
 * `writable` read), where a send goes, and which messages a receive may take.
 */

/** The live pipe a single-peer sender writes to: "live", "orphan" (tcp peer gone, messages queue), or "none". */
function outPipe(state: ModelState, i: number): "live" | "orphan" | "none" {
  const peer = state.topology.peers[i]?.[0];
  if (peer === undefined) return "none";
  if (!sock(state, peer).closed || sock(state, i).peerGone === "unaware") return "live";
  return keepsPipe(state, i) ? "orphan" : "none";
}

function sock(state: ModelState, i: number): SocketState {
  const s = state.sockets[i];
  if (s === undefined) throw new Error(`model: no socket #${i}`);
  return s;
}

/** Socket `i`'s type (a code of type-codes.ts). */
function typeOf(state: ModelState, i: number): number {
  return sock(state, i).typeCode;
}

// Scans of an inbox and of the late frames, written as loops: they run at every step.

function someSure(inbox: readonly Message[], sure: boolean): boolean {
  for (let k = 0; k < inbox.length; k++) if ((inbox[k] as Message).sure === sure) return true;
  return false;
}

/** Some message taken as arrived that could still be on its way. */
function someUnsureArrived(inbox: readonly Message[]): boolean {
  for (let k = 0; k < inbox.length; k++) if ((inbox[k] as Message).arrived && !(inbox[k] as Message).sure) return true;
  return false;
}

function someFrameTo(frames: readonly LateFrame[], i: number): boolean {
  for (let k = 0; k < frames.length; k++) if ((frames[k] as LateFrame).to === i) return true;
  return false;
}

/** What `writable` reads: a send issued now would complete at once. */
export function writable(state: ModelState, i: number): boolean {
  const s = sock(state, i);
  if (s.closed) return false;
  switch (s.typeCode) {
    case PUB:
    case XPUB:
    case ROUTER:
    case XSUB:
      return true;
    case PUSH:
    case DEALER:
    case PAIR:
      return outPipe(state, i) !== "none";
    case REQ:
      return s.phase === "send" && outPipe(state, i) !== "none";
    case REP:
      return s.phase === "send";
    default:
      // SUB, PULL
      return false;
  }
}

/**
 * Whether socket `i` would read writable while a closed peer's pipe still stands (the close not
 * yet noticed). Only then does a `writable` that reads false show the close was noticed: a REQ
 * waiting for its reply reads false either way.
 */
export function writableUnaware(state: ModelState, i: number): boolean {
  const s = sock(state, i);
  const saved = s.peerGone;
  s.peerGone = "unaware";
  const value = writable(state, i);
  s.peerGone = saved;
  return value;
}

/** What `readable` reads: a receive issued now would complete at once. */
export function readable(state: ModelState, i: number): boolean {
  const s = sock(state, i);
  if (s.closed || s.arrivedCount === 0) return false;
  const type = s.typeCode;
  if (type === REQ || type === REP) return s.phase === "recv";
  return type !== PUB && type !== PUSH;
}

/**
 * Fair-queue candidates: the oldest arrived message from each sender, oldest first. A SUB
 * keeps what matched when it was sent: zeromq.js reads ahead after every call, and libzmq
 * filters again only what it has not read ahead, so the model does not drop it later.
 */
export function candidates(state: ModelState, i: number): Message[] {
  const s = sock(state, i);
  const out: Message[] = [];
  const inbox = s.inbox;
  for (let k = 0; k < inbox.length; k++) {
    const m = inbox[k] as Message;
    if (m.arrived && !fromSender(out, m.from)) out.push(m);
  }
  return out;
}

function fromSender(messages: readonly Message[], from: number): boolean {
  for (let k = 0; k < messages.length; k++) if ((messages[k] as Message).from === from) return true;
  return false;
}

/** Takes a message out of the inbox (it must be a candidate) and applies REQ/REP phases. */
export function take(state: ModelState, i: number, m: Message): void {
  const s = sock(state, i);
  const inbox = s.inbox;
  // What `indexOf` finds, without the call: the message taken is nearly always the first.
  let at = 0;
  while (at < inbox.length && inbox[at] !== m) at++;
  if (at === inbox.length) throw new Error("model: message not in inbox");
  // What `splice(at, 1)` does, without the array of removed messages.
  for (let k = at + 1; k < inbox.length; k++) inbox[k - 1] = inbox[k] as Message;
  inbox.pop();
  if (m.arrived) s.arrivedCount--;
  else state.transitCount--;
  const type = s.typeCode;
  if (type === REQ) s.phase = "send";
  if (type === REP) {
    s.phase = "send";
    s.replyTo = m.from;
  }
}

/** Over tcp a connecter keeps its pipe when the binder goes (it will reconnect): does `i`? */
export function keepsPipe(state: ModelState, i: number): boolean {
  return state.topology.keepsPipe[i] === true;
}

function deliver(state: ModelState, from: number, to: number, payload: string): void {
  const target = sock(state, to);
  if (!target.closed) {
    // inproc pipes are written synchronously; over tcp the I/O threads carry it.
    const inproc = !state.topology.tcp;
    target.inbox.push({ from, payload, seq: state.seq++, arrived: inproc, sure: inproc });
    if (inproc) target.arrivedCount++;
    else state.transitCount++;
    return;
  }
  // To a closed peer: lost, unless a tcp connecter that noticed queues it for a reconnect.
  const sender = sock(state, from);
  if (keepsPipe(state, from) && sender.peerGone !== "unaware") sender.orphaned++;
}

/** Performs a send that `writable` allows: routes the payload to its receivers. */
export function send(state: ModelState, i: number, payload: string, to: number | undefined): void {
  const s = sock(state, i);
  const peers = state.topology.peers[i] ?? [];
  switch (s.typeCode) {
    case PUB:
    case XPUB:
      // A closed subscriber's topics stay registered where its pipe stays (a tcp connecter's).
      for (const p of peers) {
        const peer = sock(state, p);
        if ((!peer.closed || keepsPipe(state, i)) && matches(peer.subs, payload)) deliver(state, i, p, payload);
      }
      return;
    case ROUTER:
      if (to !== undefined) deliver(state, i, to, payload);
      return;
    case REP:
      if (s.replyTo >= 0) deliver(state, i, s.replyTo, payload);
      s.phase = "recv";
      s.replyTo = -1;
      return;
    case PUSH:
    case DEALER:
    case PAIR:
    case REQ: {
      if (s.typeCode === REQ) {
        // libzmq's REQ drops whatever waits in its pipes when it sends a new request, so an old
        // reply can never answer it.
        s.phase = "recv";
        if (s.arrivedCount > 0) s.inbox = s.inbox.filter((m) => !m.arrived);
        s.arrivedCount = 0;
      }
      const peer = peers[0];
      if (peer !== undefined && outPipe(state, i) !== "none") deliver(state, i, peer, payload);
      return;
    }
    case SUB:
    case PULL:
    case XSUB:
      throw new Error(`model: ${SOCKET_TYPE_NAMES[s.typeCode] ?? "?"} cannot send`);
  }
}

/** Does a subscription in `subs` match `payload` (a prefix)? */
function matches(subs: readonly string[], payload: string): boolean {
  for (let k = 0; k < subs.length; k++) if (payload.startsWith(subs[k] as string)) return true;
  return false;
}

/** Applies a subscription change on SUB/XSUB `i` and forwards the frame to XPUB peers. */
export function subscribe(state: ModelState, i: number, topic: string, on: boolean): void {
  const s = sock(state, i);
  if (on) s.subs.push(topic);
  else {
    const at = s.subs.indexOf(topic);
    if (at < 0) return;
    s.subs.splice(at, 1);
    // libzmq forwards an unsubscription only when the last reference to the topic goes.
    if (s.subs.includes(topic)) return;
  }
  for (const p of state.topology.peers[i] ?? []) {
    if (typeOf(state, p) === XPUB) deliver(state, i, p, subscriptionFrame(on, topic));
  }
}

/** The effects of closing socket `i` on its peers (pending ops of `i` are settled by the engine). */
export function closeEffects(state: ModelState, i: number): void {
  const s = sock(state, i);
  state.transitCount -= s.inbox.length - s.arrivedCount;
  s.inbox = [];
  s.arrivedCount = 0;
  if ((state.topology.scenario.sockets[i]?.linger ?? -1) === 0) s.orphaned = 0;
  const peers = state.topology.peers[i] ?? [];
  // The peers learn of it asynchronously (libzmq's reaper thread ends the pipes, or the tcp
  // connection drops): within this turn their sends still go into the dying pipe, and are lost.
  for (const p of peers) {
    if (sock(state, p).closed) continue;
    sock(state, p).peerGone = "unaware";
    state.mayBeUnaware = true;
  }
  if ((s.typeCode !== SUB && s.typeCode !== XSUB) || s.subs.length === 0) return;
  // An XPUB (verbosity allSubsUnsubs) reports every topic a closing subscriber held, once the
  // pipe termination has gone round: at the end of the turn. A tcp connecter keeps the pipe.
  // libzmq walks its subscription trie: topics in byte order.
  let topics: string[] | null = null;
  for (const p of peers) {
    if (typeOf(state, p) !== XPUB || keepsPipe(state, p)) continue;
    topics ??= [...new Set(s.subs)].sort();
    for (const t of topics) state.lateFrames.push({ from: i, to: p, payload: subscriptionFrame(false, t) });
  }
}

/** Is something on its way to socket `i`, or taken as arrived without being sure? */
export function inTransit(state: ModelState, i: number): boolean {
  return someSure(sock(state, i).inbox, false) || someFrameTo(state.lateFrames, i);
}

/** Is a message surely there for socket `i` (whatever else is on its way)? */
export function surelyReadable(state: ModelState, i: number): boolean {
  return readable(state, i) && someSure(sock(state, i).inbox, true);
}

/** Everything on its way to socket `i` is taken as arrived (the real socket got it). */
export function land(state: ModelState, i: number): void {
  const s = sock(state, i);
  if (s.inbox.length > s.arrivedCount) {
    state.transitCount -= s.inbox.length - s.arrivedCount;
    s.inbox = s.inbox.map((m) => (m.arrived ? m : { ...m, arrived: true }));
    s.arrivedCount = s.inbox.length;
  }
  if (!someFrameTo(state.lateFrames, i)) return;
  const mine = state.lateFrames.filter((f) => f.to === i);
  state.lateFrames = state.lateFrames.filter((f) => f.to !== i);
  if (s.closed) return;
  for (const f of mine) s.inbox.push({ from: f.from, payload: f.payload, seq: state.seq++, arrived: true, sure: false });
  s.arrivedCount += mine.length;
}

/** Would `land` change anything at socket `i`? */
export function landChanges(state: ModelState, i: number): boolean {
  const s = sock(state, i);
  return s.inbox.length > s.arrivedCount || someFrameTo(state.lateFrames, i);
}

/** Would `unland` change anything at socket `i`? */
export function unlandChanges(state: ModelState, i: number): boolean {
  return someUnsureArrived(sock(state, i).inbox);
}

/** What is not surely at socket `i` is taken as still on its way (the real socket lags). */
export function unland(state: ModelState, i: number): void {
  const s = sock(state, i);
  if (!someUnsureArrived(s.inbox)) return;
  let moved = 0;
  s.inbox = s.inbox.map((m) => {
    if (!m.arrived || m.sure) return m;
    moved++;
    return { ...m, arrived: false };
  });
  s.arrivedCount -= moved;
  state.transitCount += moved;
}

/** What the end of a turn brings: messages and late frames arrive, peers notice closes. */
export function turnEffects(state: ModelState): void {
  const frames = state.lateFrames;
  const sockets = state.sockets;
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i] as SocketState;
    if (s.inbox.length > s.arrivedCount || someFrameTo(frames, i)) land(state, i);
    if (s.peerGone !== "unaware") continue;
    s.peerGone = "unsure";
    // A tcp SUB/XSUB that lost its publisher queues its subscriptions again for a reconnect
    // that never comes: with linger -1 they hold the process at exit.
    const type = s.typeCode;
    if ((type === SUB || type === XSUB) && keepsPipe(state, i) && !s.closed) s.orphaned += new Set(s.subs).size;
  }
  // Every socket that was unaware of a peer's close is unsure now.
  state.mayBeUnaware = false;
}
