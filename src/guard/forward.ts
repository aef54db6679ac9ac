/**
 * Wrapper prototypes: a guarded socket is a plain object whose prototype chain ends in the
 * real socket's class (so `instanceof` and `for await` keep working), with every method and
 * accessor of that class forwarded to the real socket, and the guarded ops overriding them.
 * zeromq.js sockets are sealed, so the guard cannot patch them in place.
 */

/** Keys never forwarded: the constructor, and the async iterator (it must call the guarded `receive`). */
const SKIP = new Set<PropertyKey>(["constructor", Symbol.asyncIterator]);

/**
 * The wrapper prototype for `raw`'s class, built once per class and kept in `cache`. `before` is
 * called with the wrapper before every forwarded method call and option set (not a read).
 */
export function wrapperPrototype(cache: Map<object, object>, raw: object, rawOf: (wrapper: unknown) => object, own: PropertyDescriptorMap, before: (wrapper: unknown) => void): object {
  const base = Object.getPrototypeOf(raw) as object | null;
  if (base === null) throw new TypeError("guard: a socket with a null prototype is not a zeromq socket");
  const cached = cache.get(base);
  if (cached !== undefined) return cached;
  const proto = Object.create(base) as object;
  const seen = new Set<PropertyKey>([...SKIP, ...Reflect.ownKeys(own)]);
  for (let p: object | null = base; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const key of Reflect.ownKeys(p)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (d === undefined) continue;
      if (typeof d.value === "function") {
        const f = d.value as (...args: unknown[]) => unknown;
        Object.defineProperty(proto, key, {
          configurable: true,
          writable: true,
          value: function forwarded(this: unknown, ...args: unknown[]): unknown {
            before(this);
            return f.apply(rawOf(this), args);
          },
        });
      } else if (d.get !== undefined || d.set !== undefined) {
        const get = d.get;
        const set = d.set;
        Object.defineProperty(proto, key, {
          configurable: true,
          get: get === undefined ? undefined : function forwardedGet(this: unknown): unknown {
            return get.call(rawOf(this));
          },
          set: set === undefined ? undefined : function forwardedSet(this: unknown, value: unknown): void {
            before(this);
            set.call(rawOf(this), value);
          },
        });
      }
    }
  }
  Object.defineProperties(proto, own);
  cache.set(base, proto);
  return proto;
}
