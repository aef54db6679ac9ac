import { deepStrictEqual, ok } from "node:assert/strict";
import * as closeFireAndForget from "./programs/close-fire-and-forget.js";
import * as configOvertaken from "./programs/config-overtaken.js";
import * as gracefulShutdown from "./programs/graceful-shutdown.js";
import * as heartbeatOverlap from "./programs/heartbeat-overlap.js";
import * as heartbeat from "./programs/heartbeat.js";
import * as kernelClient from "./programs/kernel-client.js";
import * as kernelUnawaitedSend from "./programs/kernel-unawaited-send.js";
import * as lazyPirate from "./programs/lazy-pirate.js";
import * as lbBroker from "./programs/lb-broker.js";
import * as majordomoUnawaited from "./programs/majordomo-unawaited.js";
import * as majordomo from "./programs/majordomo.js";
import * as proxy from "./programs/proxy.js";
import * as pubSub from "./programs/pub-sub.js";
import * as pushPull from "./programs/push-pull.js";
import * as queue from "./programs/queue.js";
import * as readableWhileReceiving from "./programs/readable-while-receiving.js";
import * as reqRep from "./programs/req-rep.js";
import * as requestMap from "./programs/request-map.js";
import * as retryResend from "./programs/retry-resend.js";
import * as terminatePendingReceive from "./programs/terminate-pending-receive/index.js";
import * as threadedWorker from "./programs/threaded-worker/index.js";
import * as twoReaders from "./programs/two-readers.js";
import * as xpubPoller from "./programs/xpub-poller.js";
import * as xsubForwarder from "./programs/xsub-forwarder.js";

/** What a corpus program is built from, besides its sockets. */
export type Use =
  | "timers"
  | "workers"
  | "proxy"
  | "for-await"
  | "tcp"
  | "send-queue"
  | "pub-sub"
  | "xpub"
  | "poll"
  | "fire-and-forget"
  | "event-emitter"
  | "close-under-pending";

/** The endpoints a program uses. */
export type Transport = "inproc" | "tcp" | "inproc+tcp";

/** The verdict a guarded run of a buggy program should end with: a rule, or the program's own error. */
export type ExpectedLabel = "busy-send" | "busy-recv" | "lost-wakeup" | "unobserved-rejection" | "teardown-while-pending" | "error";

/** How a raw run of a program that must not run in a test process ends its child process. */
export type ProcessEnding =
  | { readonly kind: "exit"; readonly code: number; readonly stderr: string }
  | { readonly kind: "abort" };

/**
 * One program of the corpus: unmodified user code (it imports `zeromq` itself), with where it
 * comes from and what it is made of.
 */
export interface CorpusProgram {
  readonly name: string;
  /** The real program it follows: repository URL and path (the header names the others). */
  readonly follows: string;
  readonly kind: "correct" | "buggy";
  /** Buggy only: what goes wrong, and when, on the real binding. */
  readonly bug?: string;
  /** Buggy only: the verdict a guarded run should reach. */
  readonly expected?: ExpectedLabel;
  readonly transport: Transport;
  readonly uses: readonly Use[];
  /** Where a raw run is safe: in the test process, or only in a child process (it can abort or end the process). */
  readonly isolation: "in-process" | "child-process";
  /** Runs the program once, to completion, on fresh endpoints; closes every socket it opened. */
  readonly run: () => Promise<unknown>;
  /**
   * Throws when a raw result is wrong. Correct programs: the result every run must give. Buggy
   * programs: only what they do on every raw run (absent when nothing is certain).
   */
  readonly check?: (result: unknown) => void;
  /** Child-process programs: how their raw run ends the process. */
  readonly ending?: ProcessEnding;
}

type ProgramSpec<R> = Omit<CorpusProgram, "run" | "check" | "isolation"> & {
  readonly isolation?: CorpusProgram["isolation"];
  readonly run: () => Promise<R>;
  readonly check?: (result: R) => void;
};

/** Builds an entry whose check is typed by the program's result; raw runs are in-process unless said. */
function program<R>(spec: ProgramSpec<R>): CorpusProgram {
  const { check } = spec;
  return { ...spec, isolation: spec.isolation ?? "in-process", check: check === undefined ? undefined : (result) => check(result as R) };
}

const ZJS = "https://github.com/zeromq/zeromq.js";
const MDP = "https://github.com/edgracilla/zeromq-mdp-nodejs";
const JUPYTER = "https://github.com/microsoft/vscode-jupyter";
const PATTERNS = "https://github.com/xieyuheng/zeromq-messaging-patterns";

const MAJORDOMO_REPLIES = [
  "coffee:espresso->ESPRESSO",
  "coffee:latte->LATTE",
  "soda:cola->COLA",
  "tea:jasmine->JASMINE",
  "tea:oolong->OOLONG",
  "tea:sencha->SENCHA",
];
const KERNEL_OUTPUTS = ["out: 1+1", "out: print(2)", "out: x = 3"];

function configApplied(depth: number): (result: configOvertaken.ConfigOvertakenResult) => void {
  return (result) => deepStrictEqual(result.applied, Array.from({ length: depth }, (_, k) => `job ${k}:fast`));
}

function configBug(depth: number): string {
  const which = depth === 1 ? "one job" : `${depth} jobs`;
  return `order bug of depth ${depth}: the configuration, sent first on its own socket, must be overtaken by ${which} sent later on other sockets; then the job loop throws "job ... arrived before the configuration" and run() rethrows it. Raw runs on inproc receive the configuration first (300 of 300).`;
}

/** The corpus: correct programs first, then the buggy variants. */
export const corpus: readonly CorpusProgram[] = [
  program({
    name: "queue",
    follows: `${ZJS} examples/queue/queue.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["send-queue", "for-await", "tcp"],
    run: () => queue.run(),
    check: (r) => {
      deepStrictEqual(r.received, [0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((i) => `p${p}-${i}`)));
      ok(r.fifoPerProducer, "each producer's messages arrive in its order");
    },
  }),
  program({
    name: "majordomo",
    follows: `${ZJS} examples/majordomo/broker.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["for-await", "tcp", "timers"],
    run: () => majordomo.run(),
    check: (r) => deepStrictEqual(r, { replies: MAJORDOMO_REPLIES, disconnected: 4 }),
  }),
  program({
    name: "threaded-worker",
    follows: `${ZJS} examples/threaded-worker/processor.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["workers", "for-await", "pub-sub", "timers"],
    run: () => threadedWorker.run(),
    check: (r) => deepStrictEqual(r, { output: "Uryyb, guernqf!", exited: 2, processed: 15 }),
  }),
  program({
    name: "pub-sub",
    follows: `${ZJS} examples/pub-sub/publisher.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["pub-sub", "for-await", "tcp", "timers"],
    run: () => pubSub.run(),
    check: (r) => deepStrictEqual(r, { received: ["meow 1", "meow 2", "meow 3", "meow 4", "meow 5"] }),
  }),
  program({
    name: "push-pull",
    follows: `${ZJS} examples/push-pull/producer.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["for-await", "tcp", "timers", "close-under-pending"],
    run: () => pushPull.run(),
    check: (r) => deepStrictEqual(r, { results: ["0:2", "1:6", "2:0", "3:4", "4:2", "5:0", "6:6", "7:4"], handled: 8 }),
  }),
  program({
    name: "req-rep",
    follows: `${ZJS} examples/req-rep/server.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["for-await", "tcp", "close-under-pending"],
    run: () => reqRep.run(),
    check: (r) => deepStrictEqual(r, { results: [8, 14, 22], served: 3 }),
  }),
  program({
    name: "request-map",
    follows: `${JUPYTER} src/kernels/raw/session/rawSocket.node.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["for-await", "send-queue", "close-under-pending"],
    run: () => requestMap.run(),
    check: (r) =>
      deepStrictEqual(r, {
        replies: [0, 1, 2, 3, 4].flatMap((c) => [0, 1].map((q) => `caller ${c} request ${q}->CALLER ${c} REQUEST ${q}`)),
        unmatched: 0,
      }),
  }),
  program({
    name: "graceful-shutdown",
    follows: `${ZJS} examples/threaded-worker/threaded-worker.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["for-await", "event-emitter", "timers", "close-under-pending"],
    run: () => gracefulShutdown.run(),
    check: (r) => deepStrictEqual(r, { replies: ["done: job 0", "done: job 1", "done: job 2", "done: job 3"], handled: 4, stopped: true }),
  }),
  program({
    name: "heartbeat",
    follows: `${MDP} src/worker/index.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["timers", "for-await", "send-queue", "close-under-pending"],
    run: () => heartbeat.run(),
    check: (r) => deepStrictEqual(r, { dead: ["w1"], alive: ["w2"], replies: 4 }),
  }),
  program({
    name: "lazy-pirate",
    follows: `${PATTERNS} src/pirate-lazy/startClient.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["timers", "for-await", "close-under-pending"],
    run: () => lazyPirate.run(),
    check: (r) => {
      deepStrictEqual(r.replies, ["reply 1", "reply 2", "reply 3"]);
      // Request 2's first answer comes after the client's timeout (timers of one loop fire in
      // order of expiry): at least two attempts. A stalled machine may add retries elsewhere.
      const [first, second, third] = r.attempts;
      ok(first !== undefined && first >= 1 && second !== undefined && second >= 2 && third !== undefined && third >= 1, `attempts ${JSON.stringify(r.attempts)}`);
    },
  }),
  program({
    name: "proxy",
    follows: `${ZJS} test/unit/proxy-router-dealer-worker.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["proxy", "for-await", "close-under-pending"],
    run: () => proxy.run(),
    check: (r) =>
      deepStrictEqual(r, {
        replies: [0, 1, 2].flatMap((c) => [0, 1].map((q) => `client ${c} request ${q}->CLIENT ${c} REQUEST ${q}`)),
        answered: 6,
      }),
  }),
  program({
    name: "lb-broker",
    follows: `${PATTERNS} src/load-balancing-broker/brokerHandleTask.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["for-await", "tcp", "timers", "close-under-pending"],
    run: () => lbBroker.run(),
    check: (r) =>
      deepStrictEqual(r, {
        results: [0, 1, 2].flatMap((c) => [0, 1].map((q) => `c${c}:${q}`)),
        handled: 6,
      }),
  }),
  program({
    name: "xpub-poller",
    follows: "https://github.com/zeromq/pyzmq/issues/2043",
    kind: "correct",
    transport: "inproc",
    uses: ["xpub", "poll", "for-await", "timers"],
    run: () => xpubPoller.run(),
    check: (r) =>
      deepStrictEqual(r, {
        received: { ACME: ["1", "2", "3", "4"], INIT: ["1", "2", "3", "4"] },
        events: ["+ACME", "+INIT", "-ACME", "-INIT"],
      }),
  }),
  program({
    name: "xsub-forwarder",
    follows: `${ZJS} test/unit/socket-xpub-xsub-test.ts`,
    kind: "correct",
    transport: "tcp",
    uses: ["for-await", "tcp", "timers", "pub-sub", "xpub", "close-under-pending"],
    run: () => xsubForwarder.run(),
    // The SUB's subscribe "ba", subscribe "qu", unsubscribe "qu" go up as three messages: it
    // subscribed after its connect made the pipe (test/instrument/connect-lateness.test.ts).
    check: (r) => {
      // A subscription that reaches the PUB between "bar" and "baz" of a round gives baz first.
      deepStrictEqual([...r.received].sort(), ["bar", "baz"]);
      // The unsubscription the SUB's close sends ("\x00ba") may come in before the XPUB closes.
      ok(r.subscriptions === 3 || r.subscriptions === 4, `3 or 4 subscriptions forwarded, got ${r.subscriptions}`);
      ok(r.messages >= 2, `at least the two messages received forwarded, got ${r.messages}`);
    },
  }),
  program({
    name: "kernel-client",
    follows: `${JUPYTER} src/kernels/raw/session/rawSocket.node.ts`,
    kind: "correct",
    transport: "inproc",
    uses: ["for-await", "pub-sub", "send-queue", "timers", "close-under-pending"],
    run: () => kernelClient.run(),
    check: (r) => deepStrictEqual(r, { outputs: KERNEL_OUTPUTS, replies: ["1", "2", "3"], commsReceived: 5 }),
  }),

  program({
    name: "majordomo-unawaited",
    follows: `${MDP} src/broker/index.ts`,
    kind: "buggy",
    bug: "the broker's loop does not await a message's handling, so two handlings can have sends in flight on the ROUTER: EBUSY and a lost request or reply when the first send has to wait (mandatory ROUTER at a high-water mark, or the 513th immediate op in a row). Raw runs nearly always survive.",
    expected: "busy-send",
    transport: "tcp",
    uses: ["for-await", "tcp", "timers", "fire-and-forget"],
    isolation: "in-process",
    run: () => majordomoUnawaited.run(),
    check: (r) => {
      deepStrictEqual(r.replies.length, MAJORDOMO_REPLIES.length);
      for (const reply of r.replies) ok(reply === "timeout" || MAJORDOMO_REPLIES.includes(reply), reply);
    },
  }),
  program({
    name: "kernel-unawaited-send",
    follows: `${JUPYTER} src/kernels/raw/session/rawSocket.node.ts`,
    kind: "buggy",
    bug: "the send chain issues each send without awaiting it (postToSocket), so a burst's sends overlap on the shell DEALER: the 514th send of one loop turn throws EBUSY inside the chain, and every later message on every channel is dropped silently.",
    expected: "busy-send",
    transport: "inproc",
    uses: ["for-await", "pub-sub", "fire-and-forget", "timers", "close-under-pending"],
    isolation: "in-process",
    run: () => kernelUnawaitedSend.run(),
    check: (r) => deepStrictEqual(r, { outputs: ["", "", ""], replies: ["timeout", "timeout", "timeout"], commsReceived: 513 }),
  }),
  program({
    name: "heartbeat-overlap",
    follows: `${MDP} src/worker/index.ts`,
    kind: "buggy",
    bug: "a setInterval heartbeat sends on the worker's DEALER while a reply's send is pending at the high-water mark (slow broker): EBUSY, the heartbeat is lost (in the followed program the rejection is unhandled and ends the process).",
    expected: "busy-send",
    transport: "inproc",
    uses: ["timers", "for-await", "close-under-pending"],
    isolation: "in-process",
    run: () => heartbeatOverlap.run(),
    check: (r) => deepStrictEqual(r.stored, 6),
  }),
  program({
    name: "two-readers",
    follows: `${JUPYTER} src/kernels/raw/session/rawSocket.node.ts`,
    kind: "buggy",
    bug: "each registered handler starts its own for-await reader on the same DEALER: the second reader's receive while the first is pending throws EBUSY (busy reading) and that reader dies; its handler never sees a message.",
    expected: "busy-recv",
    transport: "inproc",
    uses: ["for-await", "close-under-pending"],
    isolation: "in-process",
    run: () => twoReaders.run(),
    check: (r) => deepStrictEqual(r, { replies: ["re: request 0", "re: request 1", "re: request 2"], logged: 0, readerErrors: ["EBUSY"] }),
  }),
  program({
    name: "readable-while-receiving",
    follows: `${ZJS} examples/threaded-worker/processor.ts`,
    kind: "buggy",
    bug: "a setInterval progress reporter reads `readable` while the collector's for-await receive is pending: the getter takes the wakeup and the collector stalls with results queued (about half of raw runs); a watchdog ends the run.",
    expected: "lost-wakeup",
    transport: "inproc",
    uses: ["timers", "for-await", "poll", "close-under-pending"],
    isolation: "in-process",
    run: () => readableWhileReceiving.run(),
    check: (r) => ok(r.sent === 20 && r.collected <= 20, JSON.stringify(r)),
  }),
  program({
    name: "retry-resend",
    follows: `${PATTERNS} src/pirate-lazy/startClient.ts`,
    kind: "buggy",
    bug: "a setInterval retry timer, armed before the request's first send completes, re-sends on the same DEALER while that send is pending at the high-water mark (server still starting): EBUSY. Timer-driven: replaying it needs virtual time.",
    expected: "busy-send",
    transport: "inproc",
    uses: ["timers", "for-await", "fire-and-forget", "close-under-pending"],
    isolation: "in-process",
    run: () => retryResend.run(),
    check: (r) => {
      deepStrictEqual(r.reply, "ok job");
      for (const code of r.retryErrors) deepStrictEqual(code, "EBUSY");
    },
  }),
  program({
    name: "config-overtaken-1",
    follows: `${PATTERNS} src/mydemo/startBroker.ts`,
    kind: "buggy",
    bug: configBug(1),
    expected: "error",
    transport: "tcp",
    uses: ["for-await", "close-under-pending", "tcp"],
    isolation: "in-process",
    run: () => configOvertaken.run({ depth: 1 }),
    check: configApplied(1),
  }),
  program({
    name: "config-overtaken-2",
    follows: `${PATTERNS} src/mydemo/startBroker.ts`,
    kind: "buggy",
    bug: configBug(2),
    expected: "error",
    transport: "tcp",
    uses: ["for-await", "close-under-pending", "tcp"],
    isolation: "in-process",
    run: () => configOvertaken.run({ depth: 2 }),
    check: configApplied(2),
  }),
  program({
    name: "config-overtaken-3",
    follows: `${PATTERNS} src/mydemo/startBroker.ts`,
    kind: "buggy",
    bug: configBug(3),
    expected: "error",
    transport: "tcp",
    uses: ["for-await", "close-under-pending", "tcp"],
    isolation: "in-process",
    run: () => configOvertaken.run({ depth: 3 }),
    check: configApplied(3),
  }),
  program({
    name: "close-fire-and-forget",
    follows: `${ZJS} examples/majordomo/index.ts`,
    kind: "buggy",
    bug: "a worker's start() runs as a task nobody awaits (const _started = Promise.all(...)); its READY send is pending (no broker) when stop() closes the socket: the EAGAIN rejection reaches no one and Node 20 ends the process (exit code 1).",
    expected: "unobserved-rejection",
    transport: "tcp",
    uses: ["fire-and-forget", "timers", "tcp", "close-under-pending"],
    isolation: "child-process",
    ending: { kind: "exit", code: 1, stderr: "EAGAIN" },
    run: () => closeFireAndForget.run(),
  }),
  program({
    name: "terminate-pending-receive",
    follows: `${ZJS} examples/threaded-worker/processor.ts`,
    kind: "buggy",
    bug: "the main thread terminates a worker thread whose for-await loop has a receive pending: zeromq.js aborts the whole process (SIGABRT, exit status 134).",
    expected: "teardown-while-pending",
    transport: "inproc",
    uses: ["workers", "for-await", "timers"],
    isolation: "child-process",
    ending: { kind: "abort" },
    run: () => terminatePendingReceive.run(),
  }),
];

/** The program called `name`; throws when there is none. */
export function corpusProgram(name: string): CorpusProgram {
  const found = corpus.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no corpus program is called ${JSON.stringify(name)}; the names are ${corpus.map((p) => p.name).join(", ")}`);
  return found;
}
