/** A base class whose constructor returns the object it is given: a subclass's private fields then go on that object. */
class Carrier {
  constructor(target: object) {
    return target;
  }
}

/**
 * Which tracker's node a promise belongs to, kept on the promise itself as two private fields.
 * A private field is invisible to the program (no key, no symbol, not shown by `util.inspect`,
 * no effect on how `await` or `then` treat the promise) and goes with the promise. Only a
 * tracker token and a node id are kept, so a promise that outlives its run keeps nothing of
 * the run alive.
 */
class Stamp extends Carrier {
  #owner: object;
  #id: number;

  private constructor(promise: object, owner: object, id: number) {
    super(promise);
    this.#owner = owner;
    this.#id = id;
  }

  /** Marks `promise` as node `id` of `owner`; false when another tracker marked it first. */
  static put(promise: object, owner: object, id: number): boolean {
    if (!(#owner in promise)) {
      new Stamp(promise, owner, id);
      return true;
    }
    const s = promise as Stamp;
    if (s.#owner !== owner) return false;
    s.#id = id;
    return true;
  }

  /** The node id `owner` put on `promise`; -1 when it has none, -2 when another tracker's mark is there. */
  static read(promise: object, owner: object): number {
    if (!(#owner in promise)) return -1;
    const s = promise as Stamp;
    return s.#owner === owner ? s.#id : -2;
  }
}

/**
 * The node id of every promise a tracker saw made (a task tracker asks at every reaction).
 * This is a `WeakMap<promise, id>` in behaviour, but the tracker marks every promise a run
 * makes, and a WeakMap entry costs a good part of a microsecond to add (its garbage-collector
 * bookkeeping too) where a private field on the promise costs a few nanoseconds. A promise
 * another tracker marked first (two instrumented modules running at once on one thread) is
 * kept in a WeakMap of this tracker's own.
 */
export class PromiseTasks {
  /** This tracker's mark: a token nothing else holds. */
  private readonly owner: object = {};
  private readonly others = new WeakMap<object, number>();

  /** `promise` belongs to node `id`. */
  set(promise: object, id: number): void {
    if (!Stamp.put(promise, this.owner, id)) this.others.set(promise, id);
  }

  /** The node id of `promise`, or -1 when it has none. */
  get(promise: object): number {
    const id = Stamp.read(promise, this.owner);
    return id === -2 ? (this.others.get(promise) ?? -1) : id;
  }
}
