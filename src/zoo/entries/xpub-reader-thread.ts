import { scenarioEntry } from "../scenario-entry.js";
import { size } from "../size.js";

/**
 * The seed's pattern across threads, as pyzmq users write it: the main thread publishes on an
 * XPUB and a background thread reads its subscription events. libzmq sockets are not
 * thread-safe (pyzmq#2043: assertions in object.cpp / mailbox.cpp); zeromq.js cannot even
 * pass the socket to a worker, so this entry is a scenario: an XPUB owned by the main thread,
 * and a worker thread that receives on it.
 */
export const xpubReaderThread = scenarioEntry({
  name: "xpub-reader-thread",
  story: "The main thread publishes on an XPUB while a background thread reads its subscription events (the seed's pyzmq crash): a second thread on a socket that is not thread-safe.",
  link: "https://github.com/zeromq/pyzmq/issues/2043",
  finds: "model: a receive on the XPUB from a thread that does not own it is foreign-owner",
  expected: ["foreign-owner"],
  // The owner (main, idle) and one receive from the worker.
  minimum: [size(2, 2, 1, 1)],
  shape: "the XPUB owned by an idle main thread, one receive on it from a worker thread",
  constraints: { ownership: "violate", threads: 2, minThreads: 2, socketTypes: ["xpub", "sub"], weights: { recv: 6, send: 4, poll: 0, handoff: 0, exit: 0, close: 1 } },
  happens: (x, r) => {
    const v = r.verdict;
    if (v.kind !== "violation" || v.rule !== "foreign-owner" || v.op.kind !== "recv") return false;
    const op = v.op;
    // The story's direction: the main thread owns (publishes), a worker thread reads.
    return v.actor.thread !== 0 && x.scenario.sockets.some((s) => s.id === op.socket && s.type === "xpub" && s.owner.thread === 0);
  },
});
