/**
 * The shutdown-ordering matrix: a PUB/SUB or XPUB/SUB pair over tcp with N messages queued,
 * closed in every order (a socket missing from the order is left open), optionally with
 * one socket owned by a worker thread that is terminated as one of the steps, for each
 * linger and with or without a receive pending at the time of the steps.
 */
import { BenchError } from "../rig/errors.js";

/** The pair of sockets. */
export type Pair = "pub-sub" | "xpub-sub";

/** Which thread owns which socket. */
export type Placement = "main" | "sub-in-worker" | "pub-in-worker";

/** One shutdown step. `exit-worker` is `await worker.terminate()` from the main thread. */
export type Step = "close-pub" | "close-sub" | "exit-worker";

/**
 * Which receive is pending while the steps run: none; the subscriber's (a `for await`
 * loop counting messages); or the XPUB's (a `for await` loop reading subscription events).
 * Every pending receive is observed: closing its socket ends its loop.
 */
export type Pending = "none" | "sub" | "xpub";

/** One case of the matrix. */
export interface ShutdownCase {
  readonly pair: Pair;
  readonly placement: Placement;
  readonly order: readonly Step[];
  /** ZMQ_LINGER of both sockets: -1 (default, wait forever), 0, or a positive number of ms */
  readonly linger: number;
  readonly pending: Pending;
  /** data messages sent (awaited, no send high-water mark) right before the first step */
  readonly messages: number;
  readonly size: number;
  /** a subscriber's close step first drains until nothing arrived for this long */
  readonly quietMs: number;
}

/** The orders for a placement. */
export function ordersFor(placement: Placement): readonly (readonly Step[])[] {
  if (placement === "main") return [["close-pub", "close-sub"], ["close-sub", "close-pub"], ["close-pub"], ["close-sub"], []];
  const own: Step = placement === "sub-in-worker" ? "close-sub" : "close-pub";
  const other: Step = placement === "sub-in-worker" ? "close-pub" : "close-sub";
  return [
    [other, own, "exit-worker"],
    [own, other, "exit-worker"],
    [own, "exit-worker", other],
    [other, "exit-worker"],
    ["exit-worker", other],
  ];
}

/** The pending receives that exist for a pair. */
export function pendingFor(pair: Pair): readonly Pending[] {
  return pair === "xpub-sub" ? ["none", "sub", "xpub"] : ["none", "sub"];
}

/** "close pub → close sub", "close pub (sub left open)", "nothing closed". */
export function orderLabel(c: Pick<ShutdownCase, "order" | "placement">): string {
  const word = (s: Step): string => (s === "close-pub" ? "close pub" : s === "close-sub" ? "close sub" : "end worker");
  const open = (["close-pub", "close-sub"] as const)
    .filter((s) => !c.order.includes(s) && !(s === ownStep(c.placement) && c.order.includes("exit-worker")))
    .map((s) => (s === "close-pub" ? "pub" : "sub"));
  const steps = c.order.length === 0 ? "nothing closed" : c.order.map(word).join(" → ");
  return open.length > 0 && c.order.length > 0 ? `${steps} (${open.join(", ")} left open)` : steps;
}

/** The close step of the socket the worker owns, if any. */
export function ownStep(placement: Placement): Step | undefined {
  return placement === "sub-in-worker" ? "close-sub" : placement === "pub-in-worker" ? "close-pub" : undefined;
}

/** "-1", "0", "200 ms". */
export function lingerLabel(linger: number): string {
  return linger > 0 ? `${linger} ms` : String(linger);
}

/** A stable id. */
export function shutdownCaseId(c: ShutdownCase): string {
  return `${c.pair}/${c.placement}/${c.order.length === 0 ? "none" : c.order.join(",")}/linger=${c.linger}/pending=${c.pending}`;
}

/** Parses and checks a case passed on the command line. */
export function parseShutdownCase(text: string | undefined): ShutdownCase {
  if (text === undefined) throw new BenchError("BAD_ARGS", "expected the case as JSON in argv[2]");
  const v = JSON.parse(text) as Partial<ShutdownCase>;
  const steps = new Set(["close-pub", "close-sub", "exit-worker"]);
  const ok =
    (v.pair === "pub-sub" || v.pair === "xpub-sub") &&
    (v.placement === "main" || v.placement === "sub-in-worker" || v.placement === "pub-in-worker") &&
    Array.isArray(v.order) && v.order.every((s) => steps.has(s)) &&
    Number.isInteger(v.linger) && (v.pending === "none" || v.pending === "sub" || v.pending === "xpub") &&
    Number.isInteger(v.messages) && Number.isInteger(v.size) && (v.size ?? 0) >= 1 && Number.isInteger(v.quietMs);
  if (!ok) throw new BenchError("BAD_ARGS", `not a shutdown case: ${text}`);
  return v as ShutdownCase;
}
