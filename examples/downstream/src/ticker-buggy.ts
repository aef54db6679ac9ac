import { XPublisher } from "zeromq";

/**
 * The same ticker with the bug this example is about: the listener answers a subscription
 * by sending directly, while the caller may be in the middle of its own send. It works in
 * production almost always (XPUB sends usually complete at once), until the day a send has
 * to wait and zeromq.js throws EBUSY "Socket is busy writing".
 */
export class BuggyTicker {
  readonly #xpub = new XPublisher({ linger: 0 });
  readonly #last = new Map<string, string>();
  #listening: Promise<void> = Promise.resolve();
  readonly topics = new Set<string>();

  async start(endpoint: string): Promise<void> {
    await this.#xpub.bind(endpoint);
    this.#listening = this.#listen();
  }

  async #listen(): Promise<void> {
    for await (const [frame] of this.#xpub) {
      if (frame === undefined) continue;
      const topic = frame.subarray(1).toString();
      if (frame[0] === 1) {
        this.topics.add(topic);
        const last = this.#last.get(topic);
        if (last !== undefined) await this.#xpub.send([topic, last]); // BUG: may overlap publish()
      } else this.topics.delete(topic);
    }
  }

  async publish(topic: string, price: string): Promise<void> {
    this.#last.set(topic, price);
    await this.#xpub.send([topic, price]);
  }

  async stop(): Promise<void> {
    this.#xpub.close();
    await this.#listening;
  }
}
