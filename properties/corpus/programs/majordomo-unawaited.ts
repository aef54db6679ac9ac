/**
 * BUGGY variant of majordomo.ts: the broker's loop does not await the handling of a message.
 *
 * Follows https://github.com/edgracilla/zeromq-mdp-nodejs, src/broker/index.ts (its `for await`
 * loop calls `handleClient` / `handleWorker` without awaiting them, and each service's
 * `consumeRequests` sends from several triggers at once) and src/broker/service.ts.
 *
 * Concurrency kept: as majordomo.ts (one ROUTER, one loop, DEALER workers, REQUEST clients, the
 * same shutdown), except that every message's handling runs as its own task, so a client request
 * and a worker's READY or REPLY handled back to back can have two sends in flight on the ROUTER.
 * Failed handlings are caught and recorded, as the zeromq.js broker does for `dispatchReply`; a
 * client whose request was lost gives "timeout" after `timeoutMs`.
 *
 * What goes wrong on the real binding, and when: a second `send` while the first is still pending
 * throws EBUSY ("Socket is busy writing"), and the message it carried (a request for a worker or
 * a reply for a client) is lost. A ROUTER send completes at once unless it has to wait: with
 * `mandatory: true` when the peer's pipe is at its high-water mark, or when it is the 513th op in
 * a row on the socket that completed at once (zeromq.js defers that one to the next loop turn).
 * So the raw program nearly always survives; the overlap is a hazard all the same.
 */
import { Broker, runWith, type MajordomoOptions, type MajordomoResult } from "./majordomo.js";

export interface UnawaitedResult extends MajordomoResult {
  /** Error codes of the handlings that failed, in order. */
  readonly errors: readonly string[];
}

class UnawaitedBroker extends Broker {
  readonly errors: string[] = [];

  override async start(): Promise<void> {
    for await (const message of this.socket) {
      // BUG: not awaited; the next message's handling can send while this one's send is pending.
      this.handle(message).catch((err: unknown) => {
        this.errors.push(String((err as { code?: unknown }).code ?? err));
      });
    }
  }
}

export async function run(options: MajordomoOptions = {}): Promise<UnawaitedResult> {
  let broker: UnawaitedBroker | undefined;
  const result = await runWith(
    (poolSize) => {
      broker = new UnawaitedBroker(poolSize);
      return broker;
    },
    { timeoutMs: 1_000, ...options },
  );
  return { ...result, errors: broker?.errors ?? [] };
}
