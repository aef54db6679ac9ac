import type { CodeEntry } from "./code-entry.js";
import { drainWhileReceiving } from "./entries/drain-while-receiving.js";
import { exitWithQueued } from "./entries/exit-with-queued.js";
import { foreachAsyncRequest } from "./entries/foreach-async-request.js";
import { pollThenReceive } from "./entries/poll-then-receive.js";
import { stopUnderServe } from "./entries/stop-under-serve.js";
import { terminatePendingReceive } from "./entries/terminate-pending-receive.js";
import { twoHandlersOnePull } from "./entries/two-handlers-one-pull.js";
import { xpubReaderTask } from "./entries/xpub-reader-task.js";
import { xpubReaderThread } from "./entries/xpub-reader-thread.js";
import type { ScenarioEntry } from "./scenario-entry.js";

/** The bug zoo: real misuse patterns of the zeromq API, each with how the kit finds it and its smallest counterexample. */
export const zoo: readonly (CodeEntry | ScenarioEntry)[] = [
  twoHandlersOnePull,
  foreachAsyncRequest,
  xpubReaderTask,
  xpubReaderThread,
  pollThenReceive,
  drainWhileReceiving,
  stopUnderServe,
  terminatePendingReceive,
  exitWithQueued,
];
