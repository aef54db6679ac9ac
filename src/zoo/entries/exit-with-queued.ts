import { scenarioEntry } from "../scenario-entry.js";
import { size } from "../size.js";

/**
 * zeromq.js#402: a client pushes a last message to a collector over tcp and returns, but the
 * collector is gone (closed, or never there). The message stays queued, the socket has the
 * default linger (-1), and the process cannot exit: "Waiting for queued ZeroMQ messages to be
 * delivered". A process-level bug, so the entry is a scenario: push/pull over tcp where the
 * binding side closes; the kit looks for `exit-hang` and shows the hang in a child process
 * with a time limit.
 */
export const exitWithQueued = scenarioEntry({
  name: "exit-with-queued",
  story: "A client pushes a last message over tcp after the collector has closed, then its program ends: with the default linger (-1) the process never exits.",
  link: "https://github.com/zeromq/zeromq.js/issues/402",
  finds: "model: queued messages for a gone peer on a linger -1 socket at the end are exit-hang; run unguarded in a child process, the process hangs at exit until it is killed",
  expected: ["exit-hang"],
  // The collector closes, a turn later the client sends: from another task (2 actors, 2 ops),
  // or from the same task after an awaited op (1 actor, 3 ops).
  minimum: [size(1, 2, 2, 2), size(1, 1, 2, 3)],
  shape: "the collector closes its bound Pull, then, a turn later, the client's Push sends over tcp",
  // Every op drawn without the discipline: a close in the middle of a program, then a send.
  constraints: { ownership: "any", violationRate: 1, transport: "tcp", socketTypes: ["push", "pull"], weights: { close: 3, poll: 0, handoff: 0, exit: 0, subscribe: 0, unsubscribe: 0 } },
  happens: (_x, r) => r.verdict.kind === "exit-hang",
  consequenceTimeLimitMs: 15_000,
});
