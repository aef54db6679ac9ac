import { InvalidOptionsError } from "../errors.js";
import { ReplaySelector } from "../schedule/replay.js";
import type { Selector, Trace } from "../schedule/strategy.js";
import type { CompletionGate } from "../guard/context.js";
import type { PendingRecord } from "../guard/pending.js";
import type { SocketRecord } from "../guard/socket-record.js";
import { finish } from "../guard/tracked.js";
import type { VirtualClock } from "./clock.js";
import { mayLink } from "../guard/endpoints.js";
import { candidatesOf, racing, waitsForSend, type Held } from "./held.js";
import { realClearTimeout, realNow, realSetTimeout } from "./real-time.js";
import { TimerLateness } from "./lateness.js";
import { stillOnItsWay } from "./arrivals.js";
import { TaskChoices } from "./task-choices.js";
import { Transit } from "./transit.js";
import { ConnectLateness } from "./connect-lateness.js";
import { Joins } from "./joins.js";
import type { DeliveryEvent, DeliveryOptions, DeliveryRule } from "./delivery-options.js";

export { DELIVERY_RULES, type DeliveryEvent, type DeliveryOptions, type DeliveryRule } from "./delivery-options.js";

const noop = (): void => {};

/** The two ways a hazard point can go: the op completes at once (0), or is held as the 513th (1). */
const AT_ONCE_OR_HELD = [{ key: "at-once" }, { key: "held-as-513th" }] as const;

/**
 * The completion scheduler of an instrumented run. It produces only orders zeromq.js can
 * produce (measured on zeromq 6.8.0, see docs/binding-timing.md):
 *
 * - An op that completes at once resumes its caller within the same event-loop turn, before
 *   any I/O callback: such ops are never held (tracked.ts hands the caller the real promise).
 * - An op that waits (a receive with nothing queued, a send with no peer or at the
 *   high-water mark) completes from a later event-loop callback. Over inproc that is the next
 *   poll phase, in the order the completions happen: they are handed over at once, oldest
 *   first. Over tcp and ipc a message takes its own time through libzmq's I/O thread, and
 *   through a proxy its thread's time: those completions are held and handed over one at a
 *   time, when the program is quiet, in an order the schedule picks among the candidates.
 * - The receive of a message never resumes before the send of that message has resumed its
 *   caller: a held receive waits while a send that really completed before it, on a socket
 *   that may be linked to it, is still held.
 * - The completions of one socket come out in the order they happened (a Request's send that
 *   waited for the reply completes after that reply's receive, in the same callback).
 * - A send that completes at once on an inproc socket whose receive is held hands that receive
 *   over first, inside the call (the message is on the socket: zeromq.js completes the receive).
 * - `close()` settles the socket's ops inside the call: what is held for a closed socket is
 *   handed over at once, and so is what its close rejects.
 * - Timers run on the virtual clock: a timer due now is a candidate beside the completions;
 *   the clock moves to the next timer only when nothing is held and the program is quiet.
 * - Hazards: an op that completed at once may be held as zeromq.js holds the 513th op in a
 *   row that could complete at once, until the end of the event-loop turn; what was already
 *   waiting may come out first, nothing that came later, and no timer; several such ops come
 *   out last-issued first.
 *
 * Holding never deadlocks: a held send is always a candidate, and the next quiet turn (or
 * `patience` busy turns) hands one candidate over.
 */
export class DeliveryScheduler implements CompletionGate {
  private readonly selector: Selector;
  private readonly clock: VirtualClock | null;
  private readonly patience: number;
  private readonly graceMs: number;
  private readonly latencyMs: number;
  private readonly hazards: boolean;
  private readonly onObservedRejection: DeliveryOptions["onObservedRejection"];
  private readonly onPending: DeliveryOptions["onPending"];
  private readonly others: () => number;
  private seenOthers = 0;
  private readonly held: Held[] = [];
  /** Tasks (actor task numbers) that used each socket: a hazard needs two. */
  private readonly users = new WeakMap<SocketRecord, Set<number>>();
  /** Deferred ops on tcp/ipc sockets whose real completion has not come yet, with their sockets. */
  private readonly inFlight = new Map<PendingRecord, SocketRecord>();
  /** What may still be on its way over the network. */
  private readonly transit: Transit;
  private readonly threads: () => number;
  /** Ops a close settled: handed over as soon as their real completion comes. */
  private readonly atOnce = new WeakSet<PendingRecord>();
  private seq = 0;
  /** The choice points the selector is asked (task-choices.ts). */
  private readonly choices: TaskChoices;
  private busy = false;
  private waited = 0;
  /** The last turn fired a timer and no completion was handed over since: the loop's timers phase (R24). */
  private timersPhase = false;
  private armed = false;
  /** The real timer of a wait for the network (cut short when something happens). */
  private graceTimer: ReturnType<typeof realSetTimeout> | null = null;
  private stopped = false;
  private lastActivity = realNow();
  /** How late timers the program starts now start (R17). */
  private readonly lateness: TimerLateness;
  /** Connections that land late (R19). */
  private readonly connects: ConnectLateness;
  /** Peers that may not have joined yet (R21), and the sends held for them. */
  private readonly joins = new Joins();
  private readonly joining = new WeakSet<PendingRecord>();

  /** With `trace` on: what happened to every completion, in order. */
  readonly trace: DeliveryEvent[] = [];
  private readonly relaxed: ReadonlySet<DeliveryRule>;
  private readonly tracing: boolean;
  private closing: SocketRecord | null = null;
  /** Timers fired so far. */
  fired = 0;
  /** Times the clock waited for the network before it moved (transit.ts). */
  networkWaits = 0;
  /** The clock is waiting for the network (a grace timer is set with nothing to hand over). */
  private clockWaiting = false;

  constructor(options: DeliveryOptions) {
    this.selector = options.selector ?? new ReplaySelector({ schedule: options.schedule ?? [], races: options.races ?? [] });
    this.clock = options.clock ?? null;
    this.patience = options.patience ?? 8;
    this.graceMs = options.ioGraceMs ?? 2;
    this.latencyMs = options.latencyMs ?? 1;
    this.hazards = options.hazards ?? true;
    this.relaxed = new Set(options.relax ?? []);
    this.tracing = options.trace ?? false;
    this.onObservedRejection = options.onObservedRejection;
    this.onPending = options.onPending;
    this.others = options.others ?? (() => 0);
    this.threads = options.threads ?? (() => 0);
    this.transit = new Transit(options.networkWait ?? "counted", this.graceMs * 10);
    this.lateness = new TimerLateness(this.selector, this.latencyMs);
    this.connects = new ConnectLateness(this.selector);
    this.choices = new TaskChoices(this.selector, () => `timer:${this.clock?.earliest()?.node.id ?? "?"}`);
    if (this.clock !== null) {
      this.clock.onTimer = () => this.activity();
      this.clock.lateBy = () => this.lateness.lateBy(this.stopped);
    }
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new InvalidOptionsError(`patience must be an integer >= 0, got ${String(options.patience)}`);
    if (!(this.graceMs >= 0) || !Number.isFinite(this.graceMs)) throw new InvalidOptionsError(`ioGraceMs must be a finite number >= 0, got ${String(options.ioGraceMs)}`);
    if (!(this.latencyMs >= 0) || !Number.isFinite(this.latencyMs)) throw new InvalidOptionsError(`latencyMs must be a finite number >= 0, got ${String(options.latencyMs)}`);
  }

  /** The picks made so far (replaying them reproduces the run's order). */
  get picks(): Trace {
    return this.selector.trace;
  }

  /** Completions waiting to be handed over. */
  get pending(): number {
    return this.held.length;
  }

  /** Is anything left for the scheduler to do (a held completion, a timer, a connection to land)? */
  get idle(): boolean {
    return this.held.length === 0 && (this.clock === null || this.clock.pending === 0) && this.connects.count === 0;
  }

  waitAnyway(socket: SocketRecord, record: PendingRecord): boolean {
    const onItsWay = !this.stopped && stillOnItsWay(this.selector, socket, record);
    // A send whose peers had not joined in the binding waited for them there (R21).
    if (record.kind === "send" && this.joins.held(socket) && !this.stopped) {
      this.joining.add(record);
      this.onPending?.(1, record);
      this.activity();
      return true;
    }
    // A receive that found a message at once, while a send that may have sent it is held: in the
    // run's world that send has not gone out yet, so the receive has nothing to take and waits.
    if (record.kind === "recv" && !this.stopped && !this.relaxed.has("send-before-receive") && this.held.some((g) => g.record.kind === "send" && (g.socket === socket || mayLink(g.socket.endpoints, socket.endpoints)))) {
      this.onPending?.(1, record);
      this.activity();
      return true;
    }
    if (this.relaxed.has("at-once") && !this.stopped) {
      this.onPending?.(1, record);
      this.activity();
      return true;
    }
    let users = this.users.get(socket);
    if (users === undefined) this.users.set(socket, (users = new Set()));
    users.add(record.actor.task);
    // A receive over the network that found its message at once could as well have found it
    // still on its way (R25: the same program's receives complete at once or wait, run by run),
    // unless the program had just seen the socket readable.
    if (onItsWay && !socket.readableSeen) {
      this.onPending?.(1, record);
      this.activity();
      return true;
    }
    if (!this.hazards || this.stopped || users.size < 2) return false;
    const hold = this.selector.select({ kind: "race", candidates: AT_ONCE_OR_HELD, current: -1 });
    if (hold === 0) return false;
    record.simulated = true;
    this.onPending?.(1, record);
    this.activity();
    return true;
  }

  deferred(socket: SocketRecord, record: PendingRecord): void {
    if (!record.atOnce && !this.stopped) stillOnItsWay(this.selector, socket, record);
    if (record.kind === "send") this.joins.held(socket);
    this.onPending?.(1, record);
    this.watch(socket, record);
  }

  /** A deferred op's real completion is on its way. */
  private watch(socket: SocketRecord, record: PendingRecord): void {
    if (racing(socket)) this.inFlight.set(record, socket);
    this.activity();
  }

  hold(socket: SocketRecord, record: PendingRecord, ok: boolean, value: unknown): void {
    if (this.stopped) return; // the run is over: its tasks wait forever, nothing is handed over
    this.inFlight.delete(record);
    this.completed(socket, record, ok);
    const h: Held = { socket, record, ok, value, seq: this.seq++, heldAt: this.clock?.now ?? 0 };
    if (this.tracing) {
      this.trace.push({ kind: "hold", seq: h.seq, socket: socket.name, op: record.kind, atOnce: record.atOnce, simulated: record.simulated, joining: this.joining.has(record), network: racing(socket), endpoints: [...socket.endpoints] });
    }
    if (this.atOnce.has(record)) {
      this.deliver(h);
      return;
    }
    this.held.push(h);
    this.activity();
  }

  completed(socket: SocketRecord, record: PendingRecord, ok: boolean): void {
    if (!ok) return;
    if (record.kind === "send") this.transit.sent(socket);
    else this.transit.received(socket);
  }

  activity(): void {
    this.busy = true;
    this.lastActivity = realNow();
    if (this.graceTimer !== null) {
      // Something happened while waiting for the network (a message came in, say): look again now.
      realClearTimeout(this.graceTimer);
      this.graceTimer = null;
      this.armed = false;
    }
    this.arm();
  }

  /**
   * The program closed `socket`. zeromq.js settles the socket's pending ops inside `close()`:
   * it triggers them, so a receive whose message has arrived resolves with it (a `for await`
   * body then runs once more on the closed socket), a send that can go out goes, and the rest
   * reject EAGAIN. What is held for the socket is exactly an op whose outcome had arrived, so it
   * is handed over now with that outcome; the ops still really pending settle inside the real
   * close, and are handed over as soon as their outcome comes.
   */
  closed(socket: SocketRecord): void {
    for (const r of [...socket.sends, ...socket.recvs]) this.atOnce.add(r);
    const mine = this.held.filter((h) => h.socket === socket);
    for (const h of mine) this.held.splice(this.held.indexOf(h), 1);
    this.connects.drop(socket);
    this.closing = socket;
    for (const h of mine) this.deliver(h);
    this.closing = null;
  }

  /**
   * An op completed at once on `socket`. A send on an inproc socket whose receive is held (its
   * message came in) completes that receive inside the call, and the receiver resumes first
   * (R5: zeromq.js looks at the socket's events after the send; measured 50/50, and through a
   * timer that fires before the receive's poll callback, test/binding/in-call.test.ts). Over tcp
   * or through a proxy the message may still be on its way, and the receive may come later.
   */
  inCall(socket: SocketRecord, record: PendingRecord): void {
    if (this.stopped) return;
    if (record.kind === "send" && this.held.length > 0 && !this.relaxed.has("receive-in-send") && !racing(socket)) {
      let last: Held | undefined;
      for (const h of this.held) if (h.socket === socket && h.record.kind === "recv" && !h.record.simulated) last = h;
      if (last !== undefined && !this.waitsForSend(last)) {
        const seq = last.seq;
        const mine = this.held.filter((h) => h.socket === socket && h.seq <= seq && !h.record.simulated);
        for (const h of mine) {
          this.held.splice(this.held.indexOf(h), 1);
          this.choices.moved(h);
          this.deliver(h, true);
        }
      }
    }
    if (this.tracing) this.trace.push({ kind: "in-call", socket: socket.name, op: record.kind, network: racing(socket) });
  }

  /** `socket` bound, connected, subscribed or unsubscribed: what that sets off travels in real time. */
  changed(socket: SocketRecord): void {
    this.transit.changed(socket);
  }

  connected(socket: SocketRecord): void {
    this.joins.connected(socket);
  }

  sending(socket: SocketRecord): void {
    if (!this.stopped) this.joins.settle(socket, this.graceMs, this.graceMs * 10);
  }

  connecting(socket: SocketRecord, address: unknown, land: () => void): boolean {
    return !this.stopped && this.connects.connecting(socket, address, land);
  }

  landing(socket: SocketRecord): void {
    this.connects.landFor(socket, this.landed);
  }

  /** A held-back connection landed: its handshake travels from now on (the network is not quiet). */
  private readonly landed = (socket: SocketRecord): void => {
    this.changed(socket);
    this.activity();
  };

  /** Ends the run: drops everything held and holds nothing more (the waiting tasks never resume). */
  stop(): void {
    this.stopped = true;
    if (this.graceTimer !== null) realClearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.held.length = 0;
    this.inFlight.clear();
    this.connects.clear();
  }

  /** Starts ticking again (after the program's body returned, say, to run the timers left). */
  wake(): void {
    this.arm();
  }

  private arm(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(this.tick);
  }

  private readonly tick = (): void => {
    this.armed = false;
    // The turn taken last (and the microtasks it set off) is over: what it was to land, lands.
    if (!this.stopped) this.connects.turnOver(this.landed);
    if (this.stopped || this.idle) return;
    // Once a timer of this instant fired, the loop is in its timers phase: every timer due now
    // fires before any I/O callback, so before anything held (R24).
    if (this.timersPhase && this.clock?.dueNow() === true) {
      this.choices.moved("timer");
      this.fire();
      this.arm();
      return;
    }
    const candidates = this.candidates();
    // An inproc completion is not a race: its message is in the pipe when it is sent, and the
    // receiver resumes in the next poll phase, in the order the completions happened (measured:
    // docs/binding-timing.md, R10 and R11). It goes out at once, oldest first, with no choice.
    const prompt = this.relaxed.has("inproc-order") ? undefined : candidates.find((c): c is Held => c !== "timer" && !racing(c.socket) && !c.record.simulated);
    if (prompt !== undefined) {
      // ... unless a timer due within the latency may fire first (R13): then it is a choice.
      const pick: Held | "timer" = this.timerMayFire(false) ? ([prompt, "timer"] as const)[this.choices.choose([prompt, "timer"])] ?? prompt : prompt;
      this.choices.moved(pick);
      if (pick === "timer") this.fire();
      else {
        this.held.splice(this.held.indexOf(pick), 1);
        this.handOver(pick);
      }
      this.arm();
      return;
    }
    const elsewhere = this.others();
    if (elsewhere !== this.seenOthers) {
      this.seenOthers = elsewhere;
      this.busy = true;
    }
    if (this.busy && this.waited < this.patience) {
      this.busy = false;
      this.waited++;
      this.arm();
      return;
    }
    // Give the network time to deliver what is on its way before choosing or moving the clock
    // (the clock need not wait when nothing can be on its way: transit.ts).
    const coming = this.inFlight.size > 0 && candidates.length !== 1 && !this.transit.quiet(this.inFlight, this.threads());
    // A choice waits for what the network may still bring; a proxy's thread forwards within the
    // busy turns above, so inproc through a proxy needs no wait for a choice (it does for the clock).
    // The clock waits for the network no longer than the next timer's delay still to run (R18):
    // the real loop gives the network no more than that before the timer fires.
    const grace = !coming ? 0 : candidates.length === 0 ? this.clockWait() : this.networkInFlight() ? this.graceMs : 0;
    const quietFor = realNow() - this.lastActivity;
    if (grace > 0 && quietFor < grace) {
      if (candidates.length === 0) this.clockWaiting = true;
      this.armed = true;
      this.graceTimer = realSetTimeout(() => {
        this.graceTimer = null;
        this.armed = false;
        this.arm();
      }, Math.max(1, Math.ceil(grace - quietFor)));
      return;
    }
    this.busy = false;
    this.waited = 0;
    const waitedForNetwork = this.clockWaiting || grace > 0;
    this.clockWaiting = false;
    if (candidates.length === 0) {
      // Nothing held and nothing due: time moves to the next timer (after a full wait, nothing is on its way).
      if (waitedForNetwork) {
        this.networkWaits++;
        // Only a full wait lets whatever was on its way arrive; one cut short by a timer settles nothing.
        if (grace === this.graceMs * 10) this.transit.settle();
      }
      // Connections held back land before the clock moves (a sleep never overtakes a handshake, R14).
      if (this.connects.count > 0) this.connects.land(this.connects.due(), this.landed);
      else this.fire();
      this.arm();
      return;
    }
    const c = candidates[candidates.length > 1 ? this.choices.choose(candidates) : 0];
    if (c !== undefined) this.choices.moved(c);
    if (c === "timer") this.fire();
    else if (c !== undefined) {
      this.held.splice(this.held.indexOf(c), 1);
      this.handOver(c);
    }
    this.arm();
  };

  /** What may happen next (held.ts, `candidatesOf`). */
  private candidates(): (Held | "timer")[] {
    return candidatesOf(this.held, this.relaxed, () => this.timerMayFire(true));
  }

  /**
   * Whether the next timer may fire now: it is due (when `due` counts), or it is due within the
   * latency of the time every held completion came in and no op is held as the 513th (R13).
   */
  private timerMayFire(due: boolean): boolean {
    const until = this.clock?.untilNext() ?? null;
    if (until === null) return false;
    if (due && until <= 0) return true;
    if (this.latencyMs === 0 || this.held.length === 0) return false;
    const callAt = (this.clock?.now ?? 0) + until;
    return this.held.every((h) => !h.record.simulated && callAt - h.heldAt <= this.latencyMs);
  }

  /** Real ms of quiet the clock waits for the network: the full wait, cut to the next timer's remaining delay (R18) unless the mode waits in full. */
  private clockWait(): number {
    const full = this.graceMs * 10;
    const until = this.clock?.untilNext() ?? null;
    return !this.transit.capped || until === null ? full : Math.min(full, until);
  }

  /** Fires the next timer: a turn of its own, and when the clock moves, a new instant (on time again). */
  private fire(): void {
    const clock = this.clock;
    if (clock === null || clock.pending === 0) return;
    const moves = !clock.dueNow();
    this.turnTaken();
    if (moves) this.lateness.clockMoved();
    this.timersPhase = true;
    if (clock.fireNext() !== null) this.fired++;
  }

  /** Hands a held completion over from the event loop: a turn of its own (late connections made before it land at its end). */
  private handOver(h: Held): void {
    this.timersPhase = false;
    this.turnTaken();
    this.deliver(h);
  }

  /** The scheduler starts a turn of the program (a timer fired, a completion handed over). */
  private turnTaken(): void {
    this.connects.turnTaken();
    this.lateness.turnTaken();
    this.joins.turnTaken();
  }

  /** Is a tcp or ipc op in flight (not only ops through a proxy over inproc)? */
  private networkInFlight(): boolean {
    for (const socket of this.inFlight.values()) if (socket.network) return true;
    return false;
  }

  /** A held receive whose message may come from a send that completed before it and is still held. */
  private waitsForSend(h: Held): boolean {
    return waitsForSend(this.held, h, this.relaxed);
  }

  private deliver(h: Held, inCall = false): void {
    const r = h.record;
    if (this.tracing) this.trace.push({ kind: "deliver", seq: h.seq, atClose: this.closing === h.socket || this.atOnce.has(r), inCall });
    this.onPending?.(-1, r);
    finish(h.socket, r, h.ok, h.value);
    if (!h.ok && !r.observed && r.promise !== null) {
      // Reported as unobserved-rejection by finish(); keep Node from ending the process.
      Promise.prototype.then.call(r.promise, undefined, noop);
    } else if (!h.ok) this.onObservedRejection?.(h.socket, r, h.value);
    r.deliver?.(h.ok, h.value);
  }
}

