import { countOpenDescriptors, placeRun, readDescriptorLimit, type DescriptorNeeds, type DescriptorReading, type Placement } from "./descriptors.js";

/**
 * Takes the readings the descriptor budget decides on, cheaply: a campaign asks before every
 * run, a fresh reading costs about 0.1 ms on Linux (a run on inproc, about 1 ms) and a child
 * shell elsewhere. A reading is reused for up to a second while the run asked about needs at
 * most a quarter of what was free; otherwise it is taken again. Where the run does not fit,
 * it is taken again every 10 ms while the count keeps falling (libzmq closes the sockets of
 * earlier runs on its own threads, within about 10 ms of the run's end), for up to 250 ms.
 */
export class DescriptorGauge {
  /** Outside Linux the limit comes from a child shell: read once (a process cannot raise its own limit from Node). */
  private shellLimit: number | null | undefined;
  private last: { readonly reading: DescriptorReading; readonly at: number } | null = null;

  /** Where a run that needs `needs` goes (always `here` where descriptors cannot be counted). */
  async place(needs: DescriptorNeeds, child: number, canIsolate: boolean): Promise<Placement> {
    const cached = this.last;
    if (cached !== null && performance.now() - cached.at < 1000 && 4 * needs.total <= cached.reading.limit - cached.reading.inUse) return { kind: "here" };
    let reading = this.read();
    if (reading === null) return { kind: "here" };
    let placement = placeRun(needs, reading, child, canIsolate);
    const until = performance.now() + 250;
    for (let stalls = 0; placement.kind !== "here" && stalls < 2 && performance.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const next = this.read();
      if (next === null) break;
      stalls = next.inUse < reading.inUse ? 0 : stalls + 1;
      reading = next;
      placement = placeRun(needs, reading, child, canIsolate);
    }
    return placement;
  }

  /** A fresh reading; null where the limit or the count cannot be read. */
  read(): DescriptorReading | null {
    const limit = process.platform === "linux" ? readDescriptorLimit() : this.limitOnce();
    if (limit === null || limit === Infinity) return null;
    const inUse = countOpenDescriptors(limit);
    if (inUse === null) return null;
    const reading = { limit, inUse };
    this.last = { reading, at: performance.now() };
    return reading;
  }

  private limitOnce(): number | null {
    if (this.shellLimit === undefined) this.shellLimit = readDescriptorLimit();
    return this.shellLimit;
  }
}
