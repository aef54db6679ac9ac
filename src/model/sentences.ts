import { actorName, PROXY_THREAD } from "../interleaving/actor.js";
import { describeOp } from "../interleaving/describe.js";
import type { ActorId, Op, Ownership } from "../interleaving/types.js";
import type { PendingOp, Rule } from "./verdict.js";

/** What the sentence for a violation needs. */
export interface SentenceFacts {
  readonly rule: Rule;
  readonly actor: ActorId;
  readonly op: Op;
  readonly step: number;
  readonly socket: string | null;
  readonly owner: ActorId | null;
  readonly ownership: Ownership;
  readonly other: PendingOp | null;
  /** For use-after-close: the step that closed the socket. */
  readonly closedAt?: number;
  /** How actors are named (default `actorName`: `main/t1`); a report of user code adds task names. */
  readonly name?: (actor: ActorId) => string;
}

function pendingText(p: PendingOp, name: (actor: ActorId) => string = actorName): string {
  return `${name(p.actor)}'s ${describeOp(p.op)} (step ${p.step})`;
}

/** One sentence per rule: what broke, who owned the socket, what to do instead. */
export function violationSentence(f: SentenceFacts): string {
  const name = f.name ?? actorName;
  const who = name(f.actor);
  const op = describeOp(f.op);
  const sock = f.socket ?? "?";
  const owner = f.owner === null ? "nobody" : name(f.owner);
  const other = f.other === null ? "another op" : pendingText(f.other, name);
  switch (f.rule) {
    case "foreign-owner":
      if (f.owner?.thread === PROXY_THREAD) {
        return `${who} called ${op} on ${sock}, which a zmq.Proxy owns: from run() until terminate() (which closes it) the proxy uses the socket on a thread of its own, so a call from the program is a use by two threads at once (libzmq asserts). Talk to the proxy's peers instead, and let terminate() close it.`;
      }
      return f.ownership === "thread"
        ? `${who} called ${op} on ${sock}, which belongs to thread ${f.owner?.thread === 0 ? "main" : `w${f.owner?.thread}`} (owner ${owner}); a zeromq socket is not thread-safe, so send the work to the owning thread instead of touching the socket.`
        : `${who} called ${op} on ${sock}, which task ${owner} owns (ownership: task); let the owning task do the call (pass it a message), or hand the socket off while it is idle.`;
    case "busy-send":
      return `${who} called ${op} on ${sock} while ${other} was still pending; zeromq.js throws EBUSY "Socket is busy writing". Await each send before the next one, or send from a single task (owner ${owner}).`;
    case "busy-recv":
      return `${who} called ${op} on ${sock} while ${other} was still pending; zeromq.js throws EBUSY "Socket is busy reading". Receive from a single task (owner ${owner}) and hand messages to the others.`;
    case "lost-wakeup":
      return `${who} read ${sock}.${f.op.kind === "poll" ? f.op.event : "readable"} while ${other} was pending; reading the getter consumes the socket's edge-triggered wakeup, so that receive may never resolve. Either poll or receive, never both at once (owner ${owner}).`;
    case "use-after-close":
      return `${who} called ${op} on ${sock} after it was closed${f.closedAt === undefined ? "" : ` at step ${f.closedAt}`}; zeromq.js throws EBADF "Socket is closed" (a SUB's subscribe: ENOTSOCK; readable/writable silently read false). Stop every user of a socket before closing it (owner ${owner}).`;
    case "unobserved-rejection":
      return `${who}'s ${op} on ${sock} rejects ${other} with EAGAIN, and that fire-and-forget op has no handler, so Node ends the process on the unhandled rejection. Await the op or attach .catch() to it before closing (owner ${owner}).`;
    case "handoff-across-threads":
      return `${who} handed ${sock} to ${f.op.kind === "handoff" ? name(f.op.to) : "?"} on another thread; a zeromq.js socket cannot cross threads (postMessage delivers {}). Create the socket on the thread that will use it.`;
    case "handoff-while-pending":
      return `${who} handed ${sock} to ${f.op.kind === "handoff" ? name(f.op.to) : "?"} while ${other} was pending; ownership may move only while the socket is idle. Let pending ops settle first.`;
    case "teardown-while-pending":
      return `worker thread w${f.actor.thread} exited (${who}) while ${other} on ${sock} was pending; zeromq.js aborts the whole process with exit code 134 (zeromq.js#411). Close the worker's sockets or let their ops settle before it exits.`;
  }
}

/** The sentence for a run that ends with pending ops. */
export function stuckSentence(first: PendingOp, count: number, name: (actor: ActorId) => string = actorName): string {
  const more = count > 1 ? ` (and ${count - 1} more pending op${count > 2 ? "s" : ""})` : "";
  return `${pendingText(first, name)} on ${first.socket} is still pending after every program ended${more}; a pending op keeps the process alive forever. Make sure a message answers it, or close the socket so it settles.`;
}

/** The sentence for a run whose process cannot exit because of queued messages. */
export function exitHangSentence(socket: string, queued: number): string {
  return `${socket} still queues ${queued} message${queued === 1 ? "" : "s"} for a peer that is gone and has linger -1, so the process cannot exit ("Waiting for queued ZeroMQ messages to be delivered"). Set linger to 0 or a finite time on sockets that may outlive their peers.`;
}
