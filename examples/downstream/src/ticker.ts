import { XPublisher } from "zeromq";

/**
 * Publishes prices per topic on an XPUB, and answers every new subscription with the
 * topic's last price (a "last value cache"). One task listens for subscription events, the
 * caller publishes; every send goes through one queue, so two sends never overlap. Stopping
 * says so first: `close()` hands a subscription that has just arrived to the listener's
 * pending receive, and the listener must not answer it on a closed socket.
 */
export class Ticker {
  readonly #xpub = new XPublisher({ linger: 0 });
  readonly #last = new Map<string, string>();
  #queue: Promise<void> = Promise.resolve();
  #listening: Promise<void> = Promise.resolve();
  #stopping = false;
  /** Topics someone subscribes to now. */
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
        if (last !== undefined && !this.#stopping) await this.#send(topic, last);
      } else this.topics.delete(topic);
    }
  }

  /** Publishes a price; resolves once the message is queued. */
  publish(topic: string, price: string): Promise<void> {
    this.#last.set(topic, price);
    return this.#send(topic, price);
  }

  #send(topic: string, price: string): Promise<void> {
    const sent = this.#queue.then(() => this.#xpub.send([topic, price]));
    this.#queue = sent.catch(() => undefined);
    return sent;
  }

  /** Stops gracefully: lets queued sends finish, closes the socket, waits for the listener to end. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#queue;
    this.#xpub.close();
    await this.#listening;
  }
}
