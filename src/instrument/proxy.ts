import { adoptByProxy, isGuarded, releaseFromProxy } from "../guard/guard.js";
import type { ZmqModule } from "./socket-classes.js";

type ProxyClass = new (frontEnd: object, backEnd: object) => { run(): Promise<void> };

/**
 * The instrumented module's `Proxy`: the real one, given the real sockets under guarded ones
 * (it refuses anything else with "Invalid argument"). The proxy owns both sockets from then
 * on, so a call on them from the program is refused (`foreign-owner`: the proxy uses them on
 * a thread of its own); when `run()` ends, both are closed, as zeromq.js closes them.
 * `frontEnd` and `backEnd` give the guarded sockets back.
 */
export function guardedProxy(real: ZmqModule): unknown {
  const Real = (real as unknown as { Proxy?: ProxyClass }).Proxy;
  if (typeof Real !== "function") return undefined;
  class Proxy extends Real {
    readonly #front: object;
    readonly #back: object;

    constructor(frontEnd: object, backEnd: object) {
      super(isGuarded(frontEnd) ? adoptByProxy(frontEnd) : frontEnd, isGuarded(backEnd) ? adoptByProxy(backEnd) : backEnd);
      this.#front = frontEnd;
      this.#back = backEnd;
    }

    get frontEnd(): object {
      return this.#front;
    }

    get backEnd(): object {
      return this.#back;
    }

    override run(): Promise<void> {
      const release = (): void => {
        for (const s of [this.#front, this.#back]) if (isGuarded(s)) releaseFromProxy(s);
      };
      const done = super.run();
      Promise.prototype.then.call(done, release, release);
      return done;
    }
  }
  return Proxy;
}
