import * as zmq from "zeromq";
import { KitError } from "../errors.js";
import type { ErrorCode, SocketType } from "../interleaving/types.js";
import type { RealResult } from "./protocol.js";

/** What the socket hosts use of zeromq.js: its socket classes, binding and connecting, error results. */

/** A socket of any type, as the host drives it. */
export type AnySocket = zmq.Socket & {
  send(msg: unknown): Promise<void>;
  receive(): Promise<Buffer[]>;
  subscribe?(...topics: string[]): void;
  unsubscribe?(...topics: string[]): void;
};

/** The zeromq.js class of each socket type. */
export const CLASSES: Readonly<Record<SocketType, new (options?: object) => zmq.Socket>> = {
  pair: zmq.Pair,
  pub: zmq.Publisher,
  sub: zmq.Subscriber,
  xpub: zmq.XPublisher,
  xsub: zmq.XSubscriber,
  push: zmq.Push,
  pull: zmq.Pull,
  req: zmq.Request,
  rep: zmq.Reply,
  dealer: zmq.Dealer,
  router: zmq.Router,
};

const ERROR_CODES: readonly string[] = ["EBUSY", "EBADF", "EAGAIN", "ENOTSOCK", "EFSM"];

/** An op's failure as a result; a failure the kit does not model is an internal error. */
export function errorResult(err: unknown, sync: boolean): RealResult {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "string" && ERROR_CODES.includes(code)) return { kind: "error", code: code as ErrorCode, sync, message };
  throw new KitError("INTERNAL", `the binding failed in a way the kit does not model: ${String(code)} ${message}`, { cause: err });
}

/** Lets the microtask queue drain, so already-settled promises report, without a loop turn. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}

/**
 * Binds in this call where the binding offers it (zeromq.js 6.8's native `bindSync`, the
 * same `zmq_bind` that `bind()` runs on libuv's thread pool): set-up then does not wait a
 * loop turn for each binder. Errors throw as `bind()` would reject.
 */
export function bindNow(sock: zmq.Socket, address: string): Promise<void> | undefined {
  const sync = (sock as unknown as { bindSync?: unknown }).bindSync;
  if (typeof sync === "function") {
    sync.call(sock, address);
    return undefined;
  }
  return sock.bind(address);
}

/**
 * Connects. libzmq first processes the socket's pending commands and fails with EINTR,
 * having done nothing, when a signal interrupts that (a profiler's); zeromq.js retries
 * that for `bind` but not for `connect`, so it is retried here.
 */
export function connectNow(sock: zmq.Socket, address: string): void {
  for (;;) {
    try {
      sock.connect(address);
      return;
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code !== "EINTR") throw err;
    }
  }
}
