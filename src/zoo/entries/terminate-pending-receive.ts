import { scenarioEntry } from "../scenario-entry.js";
import { size } from "../size.js";

/**
 * zeromq.js#411: a worker thread serves jobs from its own Pull socket (`for await` or `await
 * pull.receive()` in one task), and a shutdown handler on the same worker calls
 * `process.exit(0)` (or the parent calls `worker.terminate()`) while that receive is pending.
 * zeromq.js then aborts the whole process (exit status 134), not just the worker. A process-
 * level bug, so the entry is a scenario: worker threads with push/pull sockets, where a
 * worker's tasks receive and exit; the kit looks for `teardown-while-pending` and shows the
 * abort on real sockets in a child process.
 */
export const terminatePendingReceive = scenarioEntry({
  name: "terminate-pending-receive",
  story: "A worker thread's shutdown handler exits (or the parent terminates it) while the worker's receive loop still waits: zeromq.js aborts the whole process.",
  link: "https://github.com/zeromq/zeromq.js/issues/411",
  finds: "model: a worker's exit while one of its sockets has a pending op is teardown-while-pending; run unguarded in a child process, the process aborts",
  expected: ["teardown-while-pending"],
  // One worker: its receive loop's pending receive, and its shutdown handler's exit.
  minimum: [size(1, 2, 1, 2)],
  shape: "one worker thread: a receive that waits, then exit from its shutdown handler",
  constraints: { ownership: "violate", nowait: 0, threads: 2, minThreads: 2, socketTypes: ["push", "pull"], weights: { exit: 3, poll: 0, handoff: 0, subscribe: 0, unsubscribe: 0 } },
  // The story's op: the worker's receive is what the exit tears down (a pending send would abort too).
  happens: (_x, r) => r.verdict.kind === "violation" && r.verdict.rule === "teardown-while-pending" && r.verdict.other?.op.kind === "recv",
  consequenceTimeLimitMs: 15_000,
});
