import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { DescriptorBudgetError } from "../errors.js";
import type { Interleaving, SocketSpec } from "../interleaving/types.js";
import { mayClose, watchesBinder } from "./setup.js";

/**
 * File descriptors: what a run needs, what the process has, and where the run can go. libzmq
 * aborts the whole process when it cannot get one ("Too many open files", exit status 134),
 * so a run that cannot fit is refused before it creates anything, and one that may just fit
 * runs in a child process, where an abort becomes a verdict.
 */

/**
 * Descriptors each thing costs, measured on Linux with zeromq 6.8.0 (libzmq 4.3.5) and Node 20
 * by test/runtime/descriptors.test.ts, which fails when a socket or transport costs other than
 * this table says, or a thread or process more (what those cost varies by one or two with how
 * the process was started; the table keeps the most seen).
 */
export const DESCRIPTOR_COSTS = {
  /** libzmq's context (its reaper and one I/O thread, an eventfd mailbox and an epoll each): made with the process's first socket, kept until exit. */
  context: 4,
  /** Any socket, of every type and on either transport: its mailbox (an eventfd). */
  socket: 1,
  /** More for a tcp binder: its listening socket. */
  tcpBind: 1,
  /** More for each tcp connecter: its connection, and the binder's end of it (both in this process). */
  tcpConnect: 2,
  /** The kit's disconnect observer on a tcp connecter whose binder may close (a socket monitor and the socket reading it). */
  observer: 2,
  /** A worker thread of the compiled kit (its own event loop: 4 or 5); zeromq.js in it shares the process's context. */
  workerThread: 5,
  /** The same, run from the TypeScript sources (the tsx loader registers itself in every worker: 10 to 14). */
  workerThreadFromSource: 14,
  /** A fresh child process of an isolated run before its first socket, from the compiled kit (node, its stderr pipe and IPC channel). */
  child: 20,
  /** The same, run from the TypeScript sources (the tsx loader keeps a few more: 28 or 29). */
  childFromSource: 30,
  /** What a child process holds in the parent (its stderr pipe and IPC channel); starting it takes one more for a moment. */
  spawn: 2,
} as const;

/** What a run needs, by kind. */
export interface DescriptorNeeds {
  readonly sockets: number;
  readonly tcpBinds: number;
  readonly tcpConnects: number;
  readonly observers: number;
  /** Worker threads the run starts (not those a pool already has). */
  readonly workers: number;
  /** What each of them costs. */
  readonly perWorker: number;
  /** The total, the context's own included (whether libzmq has started it cannot be asked). */
  readonly total: number;
}

/** Worker threads `x` runs on (thread 0 is the main thread). */
export function workerThreadsOf(x: Interleaving): number {
  const threads = new Set([...x.programs.map((p) => p.actor.thread), ...x.scenario.sockets.map((s) => s.owner.thread)]);
  return [...threads].filter((t) => t > 0).length;
}

function watched(x: Interleaving, s: SocketSpec): boolean {
  if (s.role !== "connect" || x.scenario.transport !== "tcp" || !watchesBinder(s)) return false;
  return x.scenario.sockets.some((b) => b.endpoint === s.endpoint && b.role === "bind" && mayClose(x, b));
}

/** What a worker thread and a fresh child process cost, for the compiled kit or its sources. */
export function processCosts(fromSource: boolean): { readonly workerThread: number; readonly child: number } {
  const c = DESCRIPTOR_COSTS;
  return fromSource ? { workerThread: c.workerThreadFromSource, child: c.childFromSource } : { workerThread: c.workerThread, child: c.child };
}

/** The descriptors `x` needs at its peak, when it starts `workers` worker threads of `perWorker` each. */
export function descriptorNeeds(x: Interleaving, workers: number, perWorker: number = DESCRIPTOR_COSTS.workerThread): DescriptorNeeds {
  const c = DESCRIPTOR_COSTS;
  const { sockets, transport } = x.scenario;
  const tcp = transport === "tcp";
  const tcpBinds = tcp ? sockets.filter((s) => s.role === "bind").length : 0;
  const tcpConnects = tcp ? sockets.filter((s) => s.role === "connect").length : 0;
  const observers = sockets.filter((s) => watched(x, s)).length;
  const total = c.context + c.socket * sockets.length + c.tcpBind * tcpBinds + c.tcpConnect * tcpConnects + c.observer * observers + perWorker * workers;
  return { sockets: sockets.length, tcpBinds, tcpConnects, observers, workers, perWorker, total };
}

/** "12 sockets, 3 tcp listeners, 9 tcp connections x 2, 1 worker thread x 4, the context's 4". */
export function describeNeeds(n: DescriptorNeeds): string {
  const c = DESCRIPTOR_COSTS;
  const parts = [`${n.sockets} socket${n.sockets === 1 ? "" : "s"}`];
  if (n.tcpBinds > 0) parts.push(`${n.tcpBinds} tcp listener${n.tcpBinds === 1 ? "" : "s"}`);
  if (n.tcpConnects > 0) parts.push(`${n.tcpConnects} tcp connection${n.tcpConnects === 1 ? "" : "s"} x ${c.tcpConnect}`);
  if (n.observers > 0) parts.push(`${n.observers} disconnect observer${n.observers === 1 ? "" : "s"} x ${c.observer}`);
  if (n.workers > 0) parts.push(`${n.workers} worker thread${n.workers === 1 ? "" : "s"} x ${n.perWorker}`);
  parts.push(`the context's ${c.context}`);
  return parts.join(", ");
}

/** The process's limit and how many descriptors are open now. */
export interface DescriptorReading {
  /** The soft limit (`ulimit -n`); Infinity when there is none. */
  readonly limit: number;
  readonly inUse: number;
}

/** The soft limit on open files: /proc/self/limits on Linux, a child `sh -c 'ulimit -n'` elsewhere; null where neither works. */
export function readDescriptorLimit(): number | null {
  if (process.platform === "linux") {
    try {
      const line = readFileSync("/proc/self/limits", "latin1")
        .split("\n")
        .find((l) => l.startsWith("Max open files"));
      const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
      if (soft !== undefined) return soft === "unlimited" ? Infinity : Number(soft);
    } catch {
      // fall through to the shell
    }
  }
  if (process.platform === "win32") return null;
  try {
    const out = execFileSync("/bin/sh", ["-c", "ulimit -n"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (out === "unlimited") return Infinity;
    const n = Number(out);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Descriptors open in this process (/proc/self/fd, or /dev/fd); `limit` when even listing them fails for want of one; null where neither exists. */
export function countOpenDescriptors(limit: number): number | null {
  for (const dir of process.platform === "linux" ? ["/proc/self/fd"] : ["/dev/fd"]) {
    try {
      // The listing holds one descriptor of its own while it runs.
      return readdirSync(dir).length - 1;
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (code === "EMFILE" || code === "ENFILE") return limit;
    }
  }
  return null;
}

/** Where a run goes: `here` (this process), `isolated` (a child process) or `refused` (with the error to throw). */
export type Placement = { readonly kind: "here" } | { readonly kind: "isolated" } | { readonly kind: "refused"; readonly error: DescriptorBudgetError };

/** Room kept free beyond the estimate before a run counts as fitting comfortably. */
export function descriptorMargin(needed: number): number {
  return 8 + Math.ceil(needed / 8);
}

/**
 * Where a run that needs `needs` goes, given a reading: here when it fits with a margin;
 * isolated (if allowed) when it may fit here or in a fresh child process; else refused.
 * Pure: the decision table of the budget.
 */
export function placeRun(needs: DescriptorNeeds, reading: DescriptorReading, child: number, canIsolate: boolean): Placement {
  const { limit, inUse } = reading;
  const free = limit - inUse;
  const needed = needs.total;
  if (needed + descriptorMargin(needed) <= free) return { kind: "here" };
  const freshFree = limit - child;
  if (canIsolate && needed <= Math.max(free, freshFree) && free > DESCRIPTOR_COSTS.spawn) return { kind: "isolated" };
  if (!canIsolate && needed <= free) return { kind: "here" };
  return { kind: "refused", error: new DescriptorBudgetError({ needed, breakdown: describeNeeds(needs), limit, inUse, freshFree: canIsolate ? freshFree : null }) };
}
