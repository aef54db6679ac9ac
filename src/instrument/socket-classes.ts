import type * as Zmq from "zeromq";

/** The `zeromq` module, as `import * as zmq from "zeromq"` gives it. */
export type ZmqModule = typeof Zmq;

/** The socket classes an instrumented module replaces. */
export const SOCKET_CLASSES = ["Pair", "Publisher", "Subscriber", "XPublisher", "XSubscriber", "Push", "Pull", "Request", "Reply", "Dealer", "Router", "Stream"] as const;

type SocketClass = new (options?: object) => object;

/**
 * The guarded stand-ins of a zeromq module's socket classes: each constructs the real socket
 * and returns what `adopt` makes of it (a guarded socket); `instanceof` and the prototype stay
 * the real class's, so code that checks `sock instanceof zmq.Pull` still works.
 */
export function guardedClasses(real: ZmqModule, adopt: (socket: object) => object): Record<string, unknown> {
  const classes: Record<string, unknown> = {};
  for (const name of SOCKET_CLASSES) {
    const Real = (real as unknown as Record<string, SocketClass | undefined>)[name];
    if (typeof Real !== "function") continue;
    const Guarded = function (this: unknown, options?: object): object {
      if (new.target === undefined) throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`);
      return adopt(new Real(options));
    };
    Object.defineProperty(Guarded, "name", { value: name });
    Object.defineProperty(Guarded, "prototype", { value: Real.prototype });
    Object.defineProperty(Guarded, Symbol.hasInstance, { value: (x: unknown) => x instanceof Real });
    classes[name] = Guarded;
  }
  return classes;
}
