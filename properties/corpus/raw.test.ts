import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as zmq from "zeromq";
import { corpus, type CorpusProgram, type ProcessEnding } from "./index.js";

// Every corpus program run as it is, on the real binding with real timers: correct programs give
// their expected result every time and leave nothing open; buggy programs that cannot abort or
// hang the process show what they do on every raw run; the two that end their process are run in
// a child process only.

/** Raw runs of each correct program. */
const CORRECT_RUNS = 20;
/** Raw runs of each in-process buggy program. */
const BUGGY_RUNS = 3;
/** Longest one raw run may take before the test calls it hung. */
const RUN_LIMIT_MS = 10_000;
/** Longest a child-process run may take. */
const CHILD_LIMIT_MS = 20_000;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

type SocketClass = { readonly prototype: object; readonly name: string };

/**
 * Records every socket that binds or connects while a run is under way, by shadowing `bind` and
 * `connect` on each socket class (the calls go through unchanged). The binding exposes no list of
 * open sockets, and an open socket is invisible to `process.getActiveResourcesInfo()`.
 */
function trackSockets(): { readonly sockets: Set<zmq.Socket>; restore(): void } {
  const sockets = new Set<zmq.Socket>();
  const classes = Object.values(zmq as Record<string, unknown>).filter((v): v is SocketClass => typeof v === "function" && (v as SocketClass).prototype instanceof zmq.Socket);
  for (const cls of classes) {
    for (const method of ["bind", "connect"] as const) {
      const original = zmq.Socket.prototype[method] as (this: zmq.Socket, ...args: unknown[]) => unknown;
      Object.defineProperty(cls.prototype, method, {
        configurable: true,
        writable: true,
        value: function (this: zmq.Socket, ...args: unknown[]) {
          sockets.add(this);
          return original.apply(this, args);
        },
      });
    }
  }
  return {
    sockets,
    restore() {
      for (const cls of classes) for (const method of ["bind", "connect"]) Reflect.deleteProperty(cls.prototype, method);
    },
  };
}

/** Resource kinds (timers, handles) a run left behind: more of a kind after than before. */
function leaked(before: readonly string[], after: readonly string[]): string[] {
  const count = (list: readonly string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const was = count(before);
  return [...count(after)].filter(([kind, n]) => n > (was.get(kind) ?? 0)).map(([kind, n]) => `${kind} x${n - (was.get(kind) ?? 0)}`);
}

async function withinLimit<T>(name: string, pending: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: a raw run took more than ${RUN_LIMIT_MS} ms (hung?)`)), RUN_LIMIT_MS);
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `program` once; returns its result after checking it closed every socket and left no handle. */
async function rawRun(program: CorpusProgram): Promise<unknown> {
  const before = process.getActiveResourcesInfo();
  const tracker = trackSockets();
  let result: unknown;
  try {
    result = await withinLimit(program.name, program.run());
  } finally {
    tracker.restore();
  }
  // Closed handles are released on the next loop turn.
  await new Promise((resolve) => setImmediate(resolve));
  const open = [...tracker.sockets].filter((s) => !s.closed).map((s) => `${s.constructor.name} ${String(s.lastEndpoint ?? "(connected)")}`);
  expect(open, `${program.name} left sockets open`).toEqual([]);
  expect(leaked(before, process.getActiveResourcesInfo()), `${program.name} left resources behind`).toEqual([]);
  return result;
}

interface ChildEnding {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runInChild(name: string): Promise<ChildEnding> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, name], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, CHILD_LIMIT_MS);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, timedOut });
    });
  });
}

function expectEnding(name: string, ending: ChildEnding, expected: ProcessEnding): void {
  expect(ending.timedOut, `${name}: the child process hung`).toBe(false);
  if (expected.kind === "abort") {
    expect(ending.signal === "SIGABRT" || ending.code === 134, `${name}: expected an abort, got code ${ending.code} signal ${ending.signal}\n${ending.stderr}`).toBe(true);
  } else {
    expect(ending.code, `${name}: exit code\n${ending.stderr}`).toBe(expected.code);
    expect(ending.stderr).toContain(expected.stderr);
  }
}

describe("corpus programs run raw (real zeromq, real timers)", () => {
  it("the corpus holds at least 12 correct programs and 8 buggy variants, with unique names", () => {
    expect(corpus.filter((p) => p.kind === "correct").length).toBeGreaterThanOrEqual(12);
    expect(corpus.filter((p) => p.kind === "buggy").length).toBeGreaterThanOrEqual(8);
    expect(new Set(corpus.map((p) => p.name)).size).toBe(corpus.length);
    for (const p of corpus) {
      expect(p.follows, p.name).toMatch(/^https:\/\/github\.com\//);
      if (p.kind === "correct") expect(p.check, `${p.name} needs a check`).toBeDefined();
      if (p.kind === "buggy") expect([p.bug, p.expected].every((x) => x !== undefined), `${p.name} needs bug and expected`).toBe(true);
      if (p.isolation === "child-process") expect(p.ending, `${p.name} needs its ending`).toBeDefined();
    }
  });

  it("the raw harness notices a socket left open and a timer left running", async () => {
    const leftOpen = new zmq.Pull();
    const leakySocket: CorpusProgram = { ...corpus[0]!, name: "leaky-socket", run: () => leftOpen.bind("inproc://corpus-leaky-socket") };
    await expect(rawRun(leakySocket)).rejects.toThrow(/leaky-socket left sockets open/);
    leftOpen.close();

    let timer: NodeJS.Timeout | undefined;
    const leakyTimer: CorpusProgram = { ...corpus[0]!, name: "leaky-timer", run: async () => void (timer = setInterval(() => undefined, 1_000)) };
    await expect(rawRun(leakyTimer)).rejects.toThrow(/leaky-timer left resources behind/);
    clearInterval(timer);
  });

  it("every correct program's check rejects a wrong result", () => {
    for (const program of corpus.filter((p) => p.kind === "correct")) expect(() => program.check?.({}), program.name).toThrow();
  });

  for (const program of corpus.filter((p) => p.kind === "correct")) {
    it(`${program.name}: ${CORRECT_RUNS} raw runs give the expected result and close every socket`, async () => {
      for (let i = 0; i < CORRECT_RUNS; i++) program.check?.(await rawRun(program));
    });
  }

  for (const program of corpus.filter((p) => p.kind === "buggy" && p.isolation === "in-process")) {
    it(`${program.name} (buggy): ${BUGGY_RUNS} raw runs end by themselves, do what is certain, close every socket`, async () => {
      for (let i = 0; i < BUGGY_RUNS; i++) {
        let result: unknown;
        try {
          result = await rawRun(program);
        } catch (err) {
          // The order bugs may throw their own error when a raw run happens to reorder deliveries.
          if (program.expected === "error" && /arrived before the configuration/.test(String(err))) continue;
          throw err;
        }
        program.check?.(result);
      }
    });
  }

  for (const program of corpus.filter((p) => p.isolation === "child-process")) {
    it(`${program.name} (buggy): a raw run in a child process ends it as documented`, async () => {
      expectEnding(program.name, await runInChild(program.name), program.ending as ProcessEnding);
    });
  }
});
