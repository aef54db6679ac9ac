import type { ActorId } from "./types.js";

/**
 * The owner of sockets a `zmq.Proxy` took over: the proxy runs them on a thread of its own,
 * which no program actor is on.
 */
export const PROXY_THREAD = -1;

/** `main/t0` for thread 0, `w2/t1` for task 1 on worker thread 2, `proxy` for a proxy's thread. */
export function actorName(actor: ActorId): string {
  if (actor.thread === PROXY_THREAD) return "proxy";
  return `${actor.thread === 0 ? "main" : `w${actor.thread}`}/t${actor.task}`;
}

/** Inverse of `actorName`; `null` when the text is not an actor name. */
export function parseActorName(text: string): ActorId | null {
  const m = /^(main|w([1-9][0-9]*))\/t(0|[1-9][0-9]*)$/.exec(text);
  if (m === null) return null;
  const thread = m[1] === "main" ? 0 : Number(m[2]);
  const task = Number(m[3]);
  if (!Number.isSafeInteger(thread) || !Number.isSafeInteger(task)) return null;
  return { thread, task };
}

/** Same thread and task. */
export function sameActor(a: ActorId, b: ActorId): boolean {
  return a.thread === b.thread && a.task === b.task;
}

/** Orders actors by thread, then task. */
export function compareActors(a: ActorId, b: ActorId): number {
  return a.thread - b.thread || a.task - b.task;
}
