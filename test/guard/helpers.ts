import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { createGuardContext, type GuardContext, type GuardContextOptions } from "../../src/guard/context.js";
import { guard } from "../../src/guard/guard.js";

/** A unique inproc endpoint. */
export function endpoint(): string {
  return `inproc://guard-test-${randomUUID()}`;
}

/** A guarded Push→Pull pair on inproc (linger 0), connected; `close()` closes both through the real sockets. */
export async function pushPull(options: GuardContextOptions = {}, ctx: GuardContext = createGuardContext(options)) {
  const rawPush = new zmq.Push({ linger: 0 });
  const rawPull = new zmq.Pull({ linger: 0 });
  const ep = endpoint();
  await rawPull.bind(ep);
  rawPush.connect(ep);
  const push = guard(rawPush, { context: ctx, name: "push" });
  const pull = guard(rawPull, { context: ctx, name: "pull" });
  return {
    ctx,
    push,
    pull,
    close(): void {
      rawPush.close();
      rawPull.close();
    },
  };
}

/** One event-loop turn. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One `unhandledRejection` event as a listener got it. */
export interface Unhandled {
  readonly reason: unknown;
  readonly promise: Promise<unknown>;
}

/**
 * Listens for unhandled rejections while a test runs (so vitest leaves them to the test);
 * `dispose()` removes the listener.
 */
export function unhandled(): { readonly seen: Unhandled[]; dispose(): void } {
  const seen: Unhandled[] = [];
  const listener = (reason: unknown, promise: Promise<unknown>): void => {
    seen.push({ reason, promise });
  };
  process.on("unhandledRejection", listener);
  return {
    seen,
    dispose(): void {
      process.off("unhandledRejection", listener);
    },
  };
}
