import type { Schedule } from "../interleaving/types.js";
import type { Selector } from "../schedule/strategy.js";
import type { PendingRecord } from "../guard/pending.js";
import type { SocketRecord } from "../guard/socket-record.js";
import type { VirtualClock } from "./clock.js";
import type { NetworkWait } from "./transit.js";

/**
 * The ordering rules the scheduler keeps (each measured on the binding, docs/binding-timing.md).
 * `relax` turns some off; a scheduler with all of them off is the kit's old delivery rule
 * (hold every completion, hand them over in any order), which the ordering property must catch.
 */
export const DELIVERY_RULES = [
  /** An op that completed at once is never held (R1), except as a hazard. */
  "at-once",
  /** A receive waits for the held send of its message (R3). */
  "send-before-receive",
  /** One socket's completions come out in the order they happened (R5, R11). */
  "socket-order",
  /** Inproc completions come out at once, in the order they happened (R10, R11). */
  "inproc-order",
  /** Ops held as the 513th come out last-issued first, before anything that came after them (R7, R9). */
  "deferred-order",
  /** A send that completes at once on an inproc socket hands over the socket's held receive first, inside the call (R5). */
  "receive-in-send",
] as const;
export type DeliveryRule = (typeof DELIVERY_RULES)[number];

/**
 * What the scheduler did with one completion, as the ordering property reads it: `hold` when
 * a real completion came in and was held (`seq` orders them), `deliver` when it was handed to
 * its caller, `in-call` when an op completed at once.
 */
export type DeliveryEvent =
  | {
      readonly kind: "hold";
      readonly seq: number;
      readonly socket: string;
      readonly op: "send" | "recv";
      /** The real op completed inside its call. */
      readonly atOnce: boolean;
      /** Held as a hazard (the 513th op). */
      readonly simulated: boolean;
      /** A send held because its peers had not joined yet in the binding (R21). */
      readonly joining: boolean;
      /** Its completions race: the socket goes over tcp or ipc, or is linked to a proxy (whose thread forwards). */
      readonly network: boolean;
      /** The socket's endpoint keys (links.ts: which sockets it may exchange messages with). */
      readonly endpoints: readonly string[];
    }
  | {
      readonly kind: "deliver";
      readonly seq: number;
      readonly atClose: boolean;
      /** Handed over inside an op of its socket that completed at once (the `in-call` event that follows). */
      readonly inCall: boolean;
    }
  /** An op completed at once on `socket` (its caller resumes in this turn), after what it handed over inside the call. */
  | { readonly kind: "in-call"; readonly socket: string; readonly op: "send" | "recv"; readonly network: boolean };

/** Options of the delivery scheduler. */
export interface DeliveryOptions {
  /** Rules to turn off (for the ordering property's mutation evidence; default none). */
  readonly relax?: readonly DeliveryRule[];
  /** Records what happens to every completion, in order, in `trace` (default false). */
  readonly trace?: boolean;
  /**
   * Who decides at each choice point (a strategy's selector: random, PCT, a replay). Default: a
   * replay of `schedule` and `races`.
   */
  readonly selector?: Selector;
  /** Choices: at a point where `n` things can happen next, choice `c` picks candidate `c mod n` (0 = the oldest completion). */
  readonly schedule?: Schedule;
  /**
   * Race choices: at a hazard point odd holds the op as the 513th, even does not; at a lateness
   * point odd starts the turn's timers another `latencyMs` late (R17), even as late as before;
   * at a connection point odd lands the connection after the turn (R19); at an arrival point
   * odd holds a network receive that completed at once, its message still on its way (R25).
   */
  readonly races?: Schedule;
  /** The run's virtual clock: its due timers are candidates too, and it moves when nothing else can happen. */
  readonly clock?: VirtualClock | null;
  /** Busy loop turns to wait for the program to go quiet before acting anyway (bounds starvation). Default 8. */
  readonly patience?: number;
  /**
   * Real ms of quiet to wait, while a tcp or ipc op is in flight, before a choice between
   * completions or before the virtual clock moves, so that what the network is about to
   * deliver is there to choose from. Default 2 for choices; the clock waits 10 times as long.
   */
  readonly ioGraceMs?: number;
  /**
   * How long (virtual ms) a turn of the program may take: a timer due within this of the time
   * every held completion came in may fire before them (a timer due in 1 ms fired before a
   * loopback message sent with it, docs/binding-timing.md R13), and a turn after the first at a
   * virtual instant may start its timers this late (R17). Default 1; 0 keeps timers behind held
   * completions and on time.
   */
  readonly latencyMs?: number;
  /**
   * Explore hazards (default true): an op that completed at once may be held as if it had to
   * wait, as zeromq.js defers the 513th op in a row that could complete at once to the next
   * event-loop turn. Asked only on sockets that two tasks have used; the schedule's choice
   * for it is odd to hold, even not to. A violation that needs it says so (a hazard).
   */
  readonly hazards?: boolean;
  /** Called when a rejection is handed to code that observes the op (it may still escape that code unhandled). */
  readonly onObservedRejection?: (socket: SocketRecord, record: PendingRecord, reason: unknown) => void;
  /**
   * Activity elsewhere (the run's worker threads): a number that changes whenever they issue or
   * complete an op. While it changes, the program is not quiet: a choice waits, and virtual time
   * does not move (a worker's real time must not be overtaken by the main thread's timers).
   */
  readonly others?: () => number;
  /** Called with +1 when an op starts to wait (for real or held), -1 when it is handed over (a worker tells its parent). */
  readonly onPending?: (delta: 1 | -1, record: PendingRecord) => void;
  /** Worker threads the run has started (while there are any, the clock always waits for the network). */
  readonly threads?: () => number;
  /** When the clock waits for the network before it moves (transit.ts; default `"counted"`). */
  readonly networkWait?: NetworkWait;
}
