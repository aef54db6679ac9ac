/** A timer as the lists see it: its delay (its list), when it fires, and its place among timers due at one time. */
export interface ListedTimer {
  /** Node's delay in ms: the list the timer is in. */
  readonly ms: number;
  /** Virtual time it fires at next. */
  readonly callAt: number;
  /** Its place among timers due at one time (smaller first): its list's id, then its place in the list. */
  order: number;
}

interface TimerList<T> {
  /** Grows with each list made or put back in the queue: of lists due at one time, the smaller id goes first. */
  id: number;
  /** The list's timers, in the order they were started. */
  readonly timers: T[];
}

/** Places in one list (a run starts fewer timers than this). */
const PLACES = 2 ** 26;

/**
 * Node's timer lists, which decide which of the timers due at one millisecond fires first
 * (R23 in docs/binding-timing.md). Node keeps one list per delay, its timers in the order they
 * were started, and a queue of lists ordered by when their first timer is due and then by the
 * list's id. A list gets an id when it is made (the first timer of its delay while it has none)
 * and a new one when the loop has fired what was due in it and puts it back in the queue for
 * its next timer; a list left empty is dropped. So of a 3 ms timeout started at 0 and an interval
 * of 2 ms started at 1, both due at 3, the timeout fires first: the interval's list was put back
 * in the queue at 2, after the timeout's list was made (in 181 and 186 of 200 trials; the
 * others started a timer a millisecond late, as R17 has it). A timer's `order` encodes its list's
 * id and its place in the list; `reorder` is told when it changes.
 */
export class TimerLists<T extends ListedTimer> {
  private readonly lists = new Map<number, TimerList<T>>();
  private ids = 0;
  private places = 0;
  private readonly reorder: (timer: T) => void;

  constructor(reorder: (timer: T) => void) {
    this.reorder = reorder;
  }

  /** `timer` was started (or an interval started again): it goes last in its delay's list. */
  add(timer: T): void {
    let list = this.lists.get(timer.ms);
    if (list === undefined) {
      list = { id: this.ids++, timers: [] };
      this.lists.set(timer.ms, list);
    }
    list.timers.push(timer);
    this.place(timer, list.id, this.places++ % PLACES);
  }

  /**
   * `timer` left its list: cleared (`firing` false: a list left empty is dropped at once) or
   * about to fire (the loop drops an empty list once the callback returned: `fired`).
   */
  remove(timer: T, firing: boolean): void {
    const list = this.lists.get(timer.ms);
    if (list === undefined) return;
    const i = list.timers.indexOf(timer);
    if (i >= 0) list.timers.splice(i, 1);
    if (!firing && list.timers.length === 0) this.lists.delete(timer.ms);
  }

  /**
   * A timer of the `ms` list fired at `now` and its callback returned (an interval is back in
   * the list): the loop drops the list if it is empty, goes on with it if its next timer is due
   * now, and otherwise puts it back in the queue with a new id.
   */
  fired(ms: number, now: number): void {
    const list = this.lists.get(ms);
    if (list === undefined) return;
    const next = list.timers[0];
    if (next === undefined) this.lists.delete(ms);
    else if (next.callAt > now) {
      list.id = this.ids++;
      for (const t of list.timers) this.place(t, list.id, t.order % PLACES);
    }
  }

  private place(timer: T, id: number, at: number): void {
    timer.order = id * PLACES + at;
    this.reorder(timer);
  }
}
