/**
 * A small set of numbers (actor keys, thread numbers) kept as a list: a model state holds a
 * few of them and each holds a handful of keys, where a `Set` costs more to make and to ask.
 * Mutated only by the engine on a state it owns.
 */
export class KeyList {
  // invariant: no key appears twice
  private keys: number[];
  // invariant: grows at every key added or removed (a walk that read the keys at one count need not read them again while it stays)
  changes = 0;

  constructor(keys: number[] = []) {
    this.keys = keys;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The `k`-th key, for `k` below `size` (in no particular order). */
  at(k: number): number {
    return this.keys[k] as number;
  }

  has(key: number): boolean {
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) if (keys[k] === key) return true;
    return false;
  }

  add(key: number): void {
    if (this.has(key)) return;
    this.keys.push(key);
    this.changes++;
  }

  delete(key: number): void {
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      if (keys[k] !== key) continue;
      // Order does not matter: the last key takes the place of the one that goes.
      keys[k] = keys[keys.length - 1] as number;
      keys.pop();
      this.changes++;
      return;
    }
  }

  /** A copy the engine may mutate. */
  copy(): KeyList {
    return new KeyList(this.keys.slice());
  }

  /** The keys as a `Set` of their own (a copy: changing it changes nothing here). */
  toSet(): Set<number> {
    return new Set(this.keys);
  }
}
