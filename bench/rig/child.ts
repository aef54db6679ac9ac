/**
 * Runs benchmark cases in child processes with a time limit, and makes sure none outlives
 * the run: a child past its limit is killed (SIGKILL) and reported as such, never waited
 * out, and a pool kills whatever is still running when the parent exits or is interrupted.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { decodeLine, epochNow } from "./protocol.js";
import type { ChildProcess } from "node:child_process";
import type { ChildMessage } from "./protocol.js";

/** The repository root: children run there so `--import tsx` and `zeromq` resolve. */
export const repoRoot: string = fileURLToPath(new URL("../..", import.meta.url));

/** How a child ended. `endedAt` is epoch ms when the parent saw the process end. */
export type ChildOutcome =
  | {
      readonly kind: "exited";
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly endedAt: number;
      readonly messages: readonly ChildMessage[];
      readonly stderr: string;
    }
  | {
      readonly kind: "killed";
      /** the limit in force when it was killed, in ms from the start or from the last setDeadline */
      readonly limitMs: number;
      readonly endedAt: number;
      readonly messages: readonly ChildMessage[];
      readonly stderr: string;
    };

/** Lets a message handler move the child's time limit. */
export interface ChildControl {
  /** From now on, the child is killed if still running `ms` from now. */
  setDeadline(ms: number): void;
}

/** One child to run. */
export interface ChildSpec {
  /** absolute path; `.ts` runs through tsx (`node --import tsx`), anything else with plain node */
  readonly script: string;
  readonly args?: readonly string[];
  /** the child is killed if still running this long after it was spawned */
  readonly timeoutMs: number;
  /** called for every protocol message, as it arrives */
  readonly onMessage?: (message: ChildMessage, control: ChildControl) => void;
}

const stderrKept = 8_192;

/** The live children of one benchmark run. */
export class ChildPool {
  readonly #live = new Set<ChildProcess>();

  /** Children currently running. */
  get live(): number {
    return this.#live.size;
  }

  /** Spawns `spec.script` and resolves when it has ended (exited, crashed or been killed). */
  run(spec: ChildSpec): Promise<ChildOutcome> {
    const argv = [...(spec.script.endsWith(".ts") ? ["--import", "tsx", spec.script] : [spec.script]), ...(spec.args ?? [])];
    // Cases that abort must not leave core files behind: `ulimit -c 0`, then exec node
    // itself, so the pid (and the signal that kills it) is node's.
    const child =
      process.platform === "win32"
        ? spawn(process.execPath, argv, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] })
        : spawn("/bin/sh", ["-c", 'ulimit -c 0 && exec "$0" "$@"', process.execPath, ...argv], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    this.#live.add(child);
    const messages: ChildMessage[] = [];
    let stderr = "";
    let pending = "";
    let limitMs = spec.timeoutMs;
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number): void => {
      if (timer !== undefined) clearTimeout(timer);
      limitMs = ms;
      timer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, ms);
    };
    const control: ChildControl = { setDeadline: arm };
    arm(spec.timeoutMs);

    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const message = decodeLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        if (message !== undefined) {
          messages.push(message);
          spec.onMessage?.(message, control);
        }
        newline = pending.indexOf("\n");
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrKept);
    });

    return new Promise<ChildOutcome>((resolve) => {
      let endedAt = 0;
      let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
      child.on("exit", (code, signal) => {
        endedAt = epochNow();
        exit = { code, signal };
      });
      child.on("error", (err) => {
        stderr += `\n${err.message}`;
      });
      child.on("close", () => {
        if (timer !== undefined) clearTimeout(timer);
        this.#live.delete(child);
        if (endedAt === 0) endedAt = epochNow();
        resolve(
          killed
            ? { kind: "killed", limitMs, endedAt, messages, stderr }
            : { kind: "exited", code: exit.code, signal: exit.signal, endedAt, messages, stderr },
        );
      });
    });
  }

  /** Kills every live child at once (SIGKILL). */
  killAll(): void {
    for (const child of this.#live) child.kill("SIGKILL");
  }

  /**
   * Kills the live children when this process exits or gets SIGINT/SIGTERM (then exits
   * with 130/143). Returns a function that removes the handlers.
   */
  killOnExit(): () => void {
    const onExit = (): void => this.killAll();
    const onSignal = (signal: NodeJS.Signals): void => {
      this.killAll();
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.on("exit", onExit);
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return () => {
      process.off("exit", onExit);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
  }
}
