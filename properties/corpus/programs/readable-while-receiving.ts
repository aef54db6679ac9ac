/**
 * BUGGY: a progress timer reads `readable` on a socket whose `for await` loop has a receive
 * pending (lost wakeup).
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/threaded-worker/processor.ts: the
 * processor collects results from its output PULL with `for await`. Seeded here: a progress
 * reporter, run by `setInterval`, that samples `output.readable` to show whether results are
 * waiting, the way a status line or a metrics gauge is added to a running service.
 *
 * Concurrency kept: a collector task reads the output PULL with `for await`; a producer task
 * sends results on a PUSH with short sleeps between them; the progress timer reads the PULL's
 * `readable` getter every millisecond. A watchdog ends the run when every result is in or when
 * no result has come for `idleMs`. Shutdown order: the timers are cleared, then the PUSH and the
 * PULL are closed (the collector's loop ends).
 *
 * What goes wrong on the real binding, and when: reading `readable` reads ZMQ_EVENTS, which
 * consumes the edge-triggered wakeup the pending receive is waiting for. When the getter runs
 * after a result has reached the socket but before the event loop has woken the receive, the
 * receive is never woken: the collector stalls with results queued, and they come out only when
 * the socket is closed. Whether a run stalls depends on that timing.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Pull, Push } from "zeromq";

export interface ReadableWhileReceivingOptions {
  /** Results the producer sends. Default 20. */
  readonly results?: number;
  /** Pause between two results, ms. Default 1. */
  readonly gapMs?: number;
  /** The watchdog's idle limit, ms. Default 100. */
  readonly idleMs?: number;
}

export interface ReadableWhileReceivingResult {
  /** Results the collector got before the watchdog ended the run. */
  readonly collected: number;
  /** Results sent. */
  readonly sent: number;
  /** Progress samples that saw results waiting (varies from run to run). */
  readonly backlogSamples: number;
}

export async function run(options: ReadableWhileReceivingOptions = {}): Promise<ReadableWhileReceivingResult> {
  const results = options.results ?? 20;
  const idleMs = options.idleMs ?? 100;
  const output = new Pull();
  await output.bind(`inproc://corpus-${randomUUID()}`);
  const producer = new Push();
  producer.connect(output.lastEndpoint as string);

  let collected = 0;
  let lastProgress = performance.now();
  const collecting = (async () => {
    for await (const _ of output) {
      collected++;
      lastProgress = performance.now();
    }
  })();

  let backlogSamples = 0;
  // BUG: reads `readable` while the collector's receive is pending.
  const progress = setInterval(() => {
    if (output.readable) backlogSamples++;
  }, 1);

  let sent = 0;
  for (; sent < results; sent++) {
    await producer.send(`result ${sent}`);
    await sleep(options.gapMs ?? 1);
  }

  while (collected < results && performance.now() - lastProgress < idleMs) await sleep(5);
  clearInterval(progress);

  producer.close();
  output.close();
  await collecting;
  return { collected, sent, backlogSamples };
}
