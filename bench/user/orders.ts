// Shared by timer-orders.ts and op-orders.ts: random programs run on the real binding and in the
// kit, and the orders each gave, compared.

/** mulberry32: a small seeded generator (`next(n)` is 0..n-1), so a seed gives the same programs everywhere. */
export function generator(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

/** How often each order came up. */
export type Orders = Map<string, number>;

/** Runs `once` `runs` times (given the run's number) and counts the orders it returns. */
export async function tally(runs: number, once: (i: number) => Promise<string>): Promise<Orders> {
  const orders: Orders = new Map();
  for (let i = 0; i < runs; i++) {
    const order = await once(i);
    orders.set(order, (orders.get(order) ?? 0) + 1);
  }
  return orders;
}

/**
 * The comparison over many programs: per program, the kit orders the real side never gave
 * (printed; the run exits 1 if there are any) and the real orders the kit never gave, and in
 * all, how many real runs had an order the kit gave. `real` names the real side ("loop", "binding").
 */
export class OrderComparison {
  private programs = 0;
  private unseen = 0;
  private reached = 0;
  private total = 0;
  private readonly real: string;

  constructor(real: string) {
    this.real = real;
  }

  /** One program's orders; `describe` is printed when the two sides differ (`verbose`: with every kit order). */
  add(label: string, describe: unknown, real: Orders, kit: Orders, verbose = false): void {
    this.programs++;
    for (const [order, n] of real) {
      this.total += n;
      if (kit.has(order)) this.reached += n;
    }
    const realRuns = [...real.values()].reduce((a, b) => a + b, 0);
    const kitRuns = [...kit.values()].reduce((a, b) => a + b, 0);
    const never = [...kit].filter(([order]) => !real.has(order));
    const missed = [...real].filter(([order]) => !kit.has(order));
    if (never.length > 0) this.unseen++;
    if (never.length === 0 && missed.length === 0) return;
    console.log(`${label}: ${JSON.stringify(describe)}`);
    for (const [order, n] of never) console.log(`  kit order the ${this.real} never gave (${n} of ${kitRuns} kit runs): ${order}`);
    for (const [order, n] of missed) console.log(`  real order the kit never gave (${n} of ${realRuns} real runs): ${order}`);
    if (verbose) for (const [order, n] of kit) console.log(`  kit order (${n} of ${kitRuns}): ${order}`);
  }

  /** The summary line; sets the exit code to 1 when some kit order was never given by the real side. */
  finish(what: string): void {
    console.log(`${this.programs} ${what}: ${this.unseen} with a kit order the ${this.real} never gave; the kit gave the order of ${this.reached} of ${this.total} real runs`);
    if (this.unseen > 0) process.exitCode = 1;
  }
}
