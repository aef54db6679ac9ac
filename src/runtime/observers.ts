import type * as zmq from "zeromq";

/**
 * The kit's disconnect observers on one thread: over tcp, a connecter whose binder may close
 * in the run is watched, so the executor can wait until it has noticed the close.
 */
export class DisconnectWatch {
  /** Sockets whose observer saw a disconnect. */
  readonly disconnected = new Set<string>();
  private readonly watchers: Array<{ readonly events: zmq.Observer; readonly done: Promise<void> }> = [];

  /**
   * Reads the observer's events in a loop the host owns (not zeromq.js's emitter mode, whose
   * loop has no rejection handler: closing its observer would end the process).
   */
  watch(events: zmq.Observer, id: string): void {
    const loop = async () => {
      while (!events.closed) {
        const event = await events.receive();
        if (event.type === "disconnect") this.disconnected.add(id);
      }
    };
    this.watchers.push({ events, done: loop().catch(() => undefined) });
  }

  /**
   * Waits (briefly) for the observers to end, as they do once their sockets closed; with
   * `force`, closes the ones still going. An observer's pending read is a pending op: a
   * thread must not end under it. Closing one early can spoil a later observer that reuses
   * its address, so only a thread or process about to end forces it.
   */
  async end(force: boolean): Promise<void> {
    const all = this.watchers.splice(0);
    if (all.length === 0) return;
    const expired = deadline(force ? 2000 : 500);
    while (all.some((w) => !observerClosed(w.events)) && !expired()) await loopTurn();
    if (force) for (const w of all) closeObserver(w.events);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(all.map((w) => w.done)), new Promise((r) => (timer = setTimeout(r, 200)))]);
    clearTimeout(timer);
  }

  /** Waits until each socket saw its tcp peer go; returns those that did not in time. */
  async awaitDisconnect(ids: readonly string[], timeoutMs: number): Promise<string[]> {
    const expired = deadline(timeoutMs);
    for (;;) {
      const left = ids.filter((id) => !this.disconnected.has(id));
      if (left.length === 0 || expired()) return left;
      await loopTurn();
    }
  }
}

/** One loop turn (macrotask). */
export function loopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A deadline `ms` from now: the function says whether it has passed. */
export function deadline(ms: number): () => boolean {
  const end = Date.now() + ms;
  return () => Date.now() > end;
}

/** Closes a disconnect observer; one whose monitor already stopped may refuse (ENOTSOCK), which is fine. */
function closeObserver(events: zmq.Observer): void {
  try {
    if (!events.closed) events.close();
  } catch {
    // already stopped with its socket's monitor
  }
}

function observerClosed(events: zmq.Observer): boolean {
  try {
    return events.closed;
  } catch {
    return true;
  }
}
