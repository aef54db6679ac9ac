import { KitError } from "../errors.js";
import type { ActorId, Op, SocketSpec, SocketType } from "../interleaving/types.js";
import { bindNow, CLASSES, connectNow, errorResult, flushMicrotasks, type AnySocket } from "./binding.js";
import type { Completion, HostReplies, HostRequest, Immediate, ReadinessCheck, RealResult, SocketPlan, TurnOp, TurnReply } from "./protocol.js";
import { deadline, DisconnectWatch, loopTurn } from "./observers.js";
import { decode, encode, encodeProbe, incoming, outgoing, type Decoded } from "./wire.js";


/**
 * Longest linger a watched socket keeps when a handled run's program closes it: well past
 * what loopback delivery of its queue takes, and within the time `DisconnectWatch.end` waits
 * for observers to end before it closes them.
 */
const WATCHED_LINGER_MS = 1000;
/**
 * Owns the real sockets of one thread and issues ops on them. The executor drives one host
 * per thread: directly on the main thread, through `runtime/protocol.ts` in workers.
 *
 * `handled` mode attaches a rejection handler to every op, so nothing can end the process;
 * `raw` mode (child processes of unguarded runs) leaves fire-and-forget ops unhandled, as
 * user code would, so an unobserved rejection really ends the process.
 */

interface Held {
  readonly plan: SocketPlan;
  readonly sock: AnySocket;
}

/** Where ops that return after their turn are reported. */
export type CompletionSink = (c: Completion) => void;

/** A socket host for one thread. */
export class SocketHost {
  private readonly sockets = new Map<string, Held>();
  private readonly sink: CompletionSink;
  private readonly mode: "handled" | "raw";
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The kit's disconnect observers. */
  private readonly watchers = new DisconnectWatch();
  private settledNow: Map<string, Completion> | null = null;
  private collecting: Completion[] | null = null;

  constructor(sink: CompletionSink, mode: "handled" | "raw" = "handled") {
    this.sink = sink;
    this.mode = mode;
  }

  /** Serves one request. */
  async handle<R extends HostRequest>(req: R): Promise<HostReplies[R["cmd"]]> {
    const reply = await this.dispatch(req);
    return reply as HostReplies[R["cmd"]];
  }

  private async dispatch(req: HostRequest): Promise<HostReplies[HostRequest["cmd"]]> {
    switch (req.cmd) {
      case "bind":
        return this.bind(req.plans);
      case "connect":
        this.connect(req.plans);
        return null;
      case "probe-send":
        await this.get(req.socket).sock.send(this.probeFrames(req.socket, req.topic, req.seq, req.to));
        return null;
      case "probe-recv":
        return this.probeRecv(req.socket, req.timeoutMs);
      case "drain-subscriptions":
        return this.drainSubscriptions(req.socket, req.count, req.timeoutMs);
      case "turn":
        return this.turn(req.ops, req.checks ?? [], req.timeoutMs ?? 0);
      case "readiness":
        return this.readiness(req.checks, req.timeoutMs);
      case "poke":
        this.poke();
        return null;
      case "unwatch":
        await this.unwatch();
        return null;
      case "await-disconnect":
        return this.watchers.awaitDisconnect(req.sockets, req.timeoutMs);
      case "close-all":
        return this.closeAll(req.only, req.first ?? []);
    }
  }

  private get(id: string): Held {
    const h = this.sockets.get(id);
    if (h === undefined) throw new KitError("INTERNAL", `socket ${id} does not live on this thread`);
    return h;
  }

  private create(plan: SocketPlan): Held {
    const { spec } = plan;
    // A fresh options object per socket: constructors delete `context` from the one they get.
    const options: Record<string, unknown> = { linger: spec.linger };
    // A ROUTER addresses its peers by routing id: name them after their socket ids.
    if (spec.type === "dealer" || spec.type === "req") options.routingId = spec.id;
    if (spec.type === "xpub") options.verbosity = "allSubsUnsubs";
    const Ctor = CLASSES[spec.type];
    const held: Held = { plan, sock: new Ctor(options) as AnySocket };
    this.sockets.set(spec.id, held);
    // The observer stays until its socket closes: closing it early leaves its monitor endpoint
    // bound, and a later observer that reuses the address would see no events.
    if (plan.watchDisconnect) this.watchers.watch(held.sock.events, spec.id);
    return held;
  }

  /**
   * Creates and binds; a binder subscribes at once (libzmq sends a SUB's or XSUB's
   * subscriptions to every pipe it attaches later).
   */
  private async bind(plans: readonly SocketPlan[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const plan of plans) {
      const held = this.create(plan);
      await bindNow(held.sock, plan.address);
      out[plan.spec.id] = held.sock.lastEndpoint ?? plan.address;
      this.applySubscriptions(held);
    }
    return out;
  }

  /**
   * Creates and connects, subscribes after each connect (so its pipe carries them), then
   * lets every socket of this thread process its commands: a binder here attaches the pipes
   * of the connections just made (a binder whose connecters live on other threads is poked
   * once they all have connected).
   */
  private connect(plans: readonly SocketPlan[]): void {
    for (const plan of plans) {
      const held = this.create(plan);
      connectNow(held.sock, plan.address);
      this.applySubscriptions(held);
    }
    this.poke();
  }

  /**
   * Reading ZMQ_EVENTS makes each socket process its commands: a binder attaches the pipes
   * of its new connections (a bound SUB then sends them its subscriptions).
   */
  private poke(): void {
    for (const { sock } of this.sockets.values()) void sock.readable;
  }

  private applySubscriptions(held: Held): void {
    const { spec } = held.plan;
    for (const topic of spec.subscriptions) this.subscribeNow(held, topic, true);
  }

  private subscribeNow(held: Held, topic: string, on: boolean): void {
    if (held.plan.spec.type === "xsub") {
      void held.sock.send(Buffer.from(`${on ? "\u0001" : "\u0000"}${topic}`)).catch(() => undefined);
    } else if (on) held.sock.subscribe?.(topic);
    else held.sock.unsubscribe?.(topic);
  }

  private firstPeer(spec: SocketSpec, plan: SocketPlan): [string | undefined, SocketType | undefined] {
    const entry = Object.entries(plan.peers)[0];
    return entry === undefined ? [undefined, undefined] : [spec.type === "router" ? entry[0] : undefined, entry[1]];
  }

  private probeFrames(socket: string, topic: string, seq: number, to: string | undefined): Array<string | Buffer> {
    const { plan } = this.get(socket);
    const [first, firstType] = this.firstPeer(plan.spec, plan);
    const target = to ?? first;
    const peerType = target === undefined ? firstType : plan.peers[target];
    return outgoing(plan.spec.type, encodeProbe(topic, seq, socket), target, peerType);
  }

  private async receiveWithin(held: Held, timeoutMs: number): Promise<Buffer[]> {
    const expired = deadline(timeoutMs);
    // Poll readiness instead of a pending receive, so a timeout leaves nothing in flight.
    while (!held.sock.readable) {
      if (expired()) throw new KitError("INTERNAL", `set-up: nothing arrived on ${held.plan.spec.id} within ${timeoutMs} ms`);
      await loopTurn();
    }
    return held.sock.receive();
  }

  private async probeRecv(socket: string, timeoutMs: number): Promise<Decoded> {
    const held = this.get(socket);
    const frames = await this.receiveWithin(held, timeoutMs);
    return decode(held.plan.spec.type, incoming(held.plan.spec.type, frames).frame);
  }

  /** Takes up to `count` subscription frames that arrive within `timeoutMs`; returns what came. */
  private async drainSubscriptions(socket: string, count: number, timeoutMs: number): Promise<string[]> {
    const held = this.get(socket);
    const out: string[] = [];
    const expired = deadline(timeoutMs);
    while (out.length < count) {
      if (held.sock.readable) out.push(incoming("xpub", await held.sock.receive()).frame);
      else if (expired()) break;
      else await loopTurn();
    }
    return out;
  }

  /**
   * Waits for `checks` to show (the previous turn's readiness), then issues a turn's ops in one
   * synchronous run and lets microtasks (not the loop) run.
   */
  private async turn(ops: readonly TurnOp[], checks: readonly ReadinessCheck[], timeoutMs: number): Promise<TurnReply> {
    if (checks.length > 0) {
      const wrong = await this.readiness(checks, timeoutMs);
      if (wrong.length > 0) return { immediates: [], others: [], wrong };
    }
    const settled = new Map<string, Completion>();
    this.settledNow = settled;
    const results: Array<RealResult | null> = [];
    try {
      for (const t of ops) results.push(this.issue(t));
      await flushMicrotasks();
    } finally {
      this.settledNow = null;
    }
    const immediates = ops.map((t, k): Immediate => {
      const now = results[k] ?? settled.get(key(t.actor, t.index))?.result ?? null;
      settled.delete(key(t.actor, t.index));
      return now === null ? { kind: "pending" } : { kind: "returned", result: now };
    });
    return { immediates, others: [...settled.values()] };
  }

  /** Reports a settled op: as part of the current turn, or to the sink. */
  private report(actor: ActorId, index: number, result: RealResult): void {
    if (this.settledNow !== null) this.settledNow.set(key(actor, index), { actor, index, result });
    else if (this.collecting !== null) this.collecting.push({ actor, index, result });
    else this.sink({ actor, index, result });
  }

  private track(t: TurnOp, p: Promise<unknown>, nowait: boolean, decodeResult: (v: unknown) => RealResult): void {
    const onValue = (v: unknown) => this.report(t.actor, t.index, decodeResult(v));
    const onError = (e: unknown) => this.report(t.actor, t.index, errorResult(e, false));
    if (this.mode === "raw" && nowait) {
      // As user code would: nobody handles the rejection, so Node ends the process on it.
      // It is recorded first, so the history shows what happened.
      void p.then(onValue, (e: unknown) => {
        onError(e);
        throw e;
      });
      return;
    }
    const tracked = p.then(onValue, onError);
    this.inFlight.add(tracked);
    const forget = () => this.inFlight.delete(tracked);
    tracked.then(forget, forget);
  }

  /** Issues one op; returns its result if it threw or returned synchronously, else null (tracked). */
  private issue(t: TurnOp): RealResult | null {
    const op: Op = t.op;
    if (op.kind === "exit") throw new KitError("INTERNAL", "exit is not a socket op; the executor ends the thread");
    const held = this.get(op.socket);
    const { sock, plan } = held;
    try {
      switch (op.kind) {
        case "send": {
          const [, firstType] = this.firstPeer(plan.spec, plan);
          const peerType = op.to === undefined ? firstType : plan.peers[op.to];
          const p = sock.send(outgoing(plan.spec.type, encode(op.payload, plan.spec.id), op.to, peerType));
          this.track(t, p, op.nowait, () => ({ kind: "done" }));
          return null;
        }
        case "recv": {
          const p = sock.receive();
          this.track(t, p, op.nowait, (frames) => {
            const { frame, routingId } = incoming(plan.spec.type, frames as Buffer[]);
            const d = decode(plan.spec.type, frame);
            if (d.kind === "message") return { kind: "message", payload: d.payload, from: routingId ?? d.from };
            if (d.kind === "subscription") return { kind: "message", payload: d.payload, from: "" };
            throw new KitError("INTERNAL", `${plan.spec.id} received a frame that no program sent: ${JSON.stringify(frame)}`);
          });
          return null;
        }
        case "poll":
          return { kind: "poll", value: op.event === "readable" ? sock.readable : sock.writable };
        case "close":
          // What the model counts as stranded (its peer is gone) is dropped, so this process
          // can still exit; the verdict (exit-hang) comes from the model, isolated runs show it.
          if (this.mode === "handled" && !sock.closed) {
            if (t.dropQueue === true) sock.linger = 0;
            // A watched socket must end within a bounded time: while it lingers (a tcp
            // subscriber queues its topics again for a binder that is gone) its monitor keeps
            // reporting, and once the kit's observer is closed libzmq's I/O thread would block
            // on the next report, stalling every tcp socket of the process.
            else if (plan.watchDisconnect && (sock.linger < 0 || sock.linger > WATCHED_LINGER_MS)) sock.linger = WATCHED_LINGER_MS;
          }
          sock.close();
          return { kind: "done" };
        case "subscribe":
        case "unsubscribe":
          this.subscribeNow(held, op.topic, op.kind === "subscribe");
          return { kind: "done" };
        case "handoff":
          return { kind: "done" };
      }
    } catch (err) {
      return errorResult(err, true);
    }
  }

  private async readiness(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessCheck[]> {
    const expired = deadline(timeoutMs);
    const differing = () =>
      checks.filter((c) => {
        const h = this.sockets.get(c.socket);
        if (h === undefined || h.sock.closed) return c.expected;
        return (c.event === "readable" ? h.sock.readable : h.sock.writable) !== c.expected;
      });
    for (let left = differing(); ; left = differing()) {
      if (left.length === 0 || expired()) return left;
      await loopTurn();
    }
  }

  /**
   * Stops every socket's observer: an isolated run ends without teardown, and an observer
   * would keep its process alive. Only for a process that runs no further interleavings.
   */
  async unwatch(): Promise<void> {
    await this.watchers.end(true);
  }

  /** Closes every socket; pending ops settle (rejections are handled) and are returned. */
  private async closeAll(only: readonly string[] | undefined, first: readonly string[]): Promise<Completion[]> {
    const out: Completion[] = [];
    this.collecting = out;
    try {
      // The executor's own clean-up: linger 0, so nothing queued can hold the process at exit.
      // `first` first (sockets with ops in flight, each settling on its own close), then XPUBs:
      // a subscriber's close feeds them frames, and must not settle their receives.
      const rank = ([id, h]: [string, Held]) => (first.includes(id) ? 2 : h.plan.spec.type === "xpub" ? 1 : 0);
      const order = [...this.sockets].sort((a, b) => rank(b) - rank(a));
      for (const [id, { sock }] of order) {
        if (sock.closed || (only !== undefined && !only.includes(id))) continue;
        sock.linger = 0;
        sock.close();
      }
      if (only === undefined) await Promise.allSettled([...this.inFlight]);
      await flushMicrotasks();
      // The thread goes back to a pool that may end it: nothing of ours may stay in flight.
      if (only === undefined) await this.watchers.end(true);
    } finally {
      this.collecting = null;
      if (only === undefined) this.sockets.clear();
    }
    return out;
  }

  /**
   * Before the thread exits (an `exit` op): the kit's own disconnect observers must go, or
   * their pending receives would abort the process as a pending op does. In a handled run the
   * sockets close too, with linger 0, so messages the model already counted as stranded
   * cannot hold this process at exit; a raw run leaves them to the thread's own teardown.
   */
  async prepareExit(): Promise<void> {
    if (this.mode === "handled") {
      for (const { sock } of this.sockets.values()) {
        if (sock.closed) continue;
        sock.linger = 0;
        sock.close();
      }
    }
    await this.watchers.end(true);
  }

  /** Sockets still open (for leak checks). */
  openSockets(): string[] {
    return [...this.sockets.entries()].filter(([, h]) => !h.sock.closed).map(([id]) => id);
  }
}

function key(actor: ActorId, index: number): string {
  return `${actor.thread}/${actor.task}#${index}`;
}
