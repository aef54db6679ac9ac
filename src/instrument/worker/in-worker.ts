import { createRequire, syncBuiltinESMExports } from "node:module";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { GuardContext } from "../../guard/context.js";
import { guard } from "../../guard/guard.js";
import type { OwnershipError, OwnershipFacts } from "../../guard/ownership-error.js";
import type { PendingRecord } from "../../guard/pending.js";
import { teardownBreach } from "../../guard/teardown.js";
import { DeliveryScheduler } from "../delivery.js";
import { guardedClasses, type ZmqModule } from "../socket-classes.js";
import { TrackedTasks } from "../tasks/tracked-tasks.js";
import { TaskTracker } from "../tasks/tracker.js";
import { pendingOf } from "../verdict.js";
import { STATE, wireError, toRunWorker, type FromRunWorker, type RunWorkerData, type WorkerSnapshot } from "./protocol.js";

/** The facts of an ownership error, as they cross to the parent. */
function factsOf(e: OwnershipError): OwnershipFacts {
  return {
    rule: e.rule,
    socket: e.socket,
    owner: e.owner,
    caller: e.caller,
    op: e.op,
    other: e.other,
    step: e.step,
    createdAt: e.createdAt,
    creator: e.creator,
    sentence: e.message.replace(/^\[[a-z-]+\] /, "").replace(/\n {2}\S+ was created by [\s\S]*$/, ""),
    ...(e.closedAt === null ? {} : { closedAt: e.closedAt }),
    ...(e.hazard === null ? {} : { hazard: e.hazard }),
  };
}

/** A delivery scheduler that tells the parent, through shared memory, how busy the worker is and what waits. */
class WorkerScheduler extends DeliveryScheduler {
  private readonly state: Int32Array;

  constructor(state: Int32Array) {
    const waiting = new Set<PendingRecord>();
    super({
      schedule: [],
      hazards: false,
      onPending: (delta, record) => {
        if (delta > 0) waiting.add(record);
        else waiting.delete(record);
        Atomics.store(state, STATE.pending, waiting.size);
        let oldest = -1;
        for (const r of waiting) if (oldest < 0 || r.step < oldest) oldest = r.step;
        Atomics.store(state, STATE.oldest, oldest);
      },
    });
    this.state = state;
  }

  override activity(): void {
    Atomics.add(this.state, STATE.activity, 1);
    super.activity();
  }
}

/**
 * The worker's half of an instrumented run, set up before the worker's own program loads:
 * its `zeromq` (the package the program resolves) gets guarded socket classes in place, so
 * `import { Pull } from "zeromq"` in the worker gives guarded sockets; its tasks are tracked
 * (lanes `w1/t0`...); its steps share the run's counter; violations go to the parent as they
 * happen, and what the worker did (events, tasks, sockets, pending ops) when the parent asks
 * and when the worker exits. `process.exit` while an op waits is refused as
 * `teardown-while-pending` (zeromq.js would abort the whole process); an exception nobody
 * catches closes the worker's sockets before the worker ends, for the same reason.
 */
export async function runWorker(data: RunWorkerData, userData: unknown): Promise<void> {
  const require = createRequire(import.meta.url);
  const threads = require("node:worker_threads") as { workerData: unknown };
  threads.workerData = userData;
  syncBuiltinESMExports();

  const port = data.port;
  const post = (m: FromRunWorker): void => port.postMessage(m);
  const tasks = new TrackedTasks(data.thread, new TaskTracker("href" in data.entry ? basename(new URL(data.entry.href).pathname) : "worker code"));
  const ctx = new GuardContext({ ownership: "thread", history: true, onViolation: () => {}, tasks, steps: data.steps, suffix: `@w${data.thread}` });
  const scheduler = new WorkerScheduler(data.state);
  ctx.gate = scheduler;
  ctx.onAny = (e) => post({ t: "violation", facts: factsOf(e) });
  tasks.tracker.enable();

  const entryHref = "href" in data.entry ? data.entry.href : pathToFileURL(`${process.cwd()}/[worker eval]`).href;
  const zmq = createRequire(entryHref)("zeromq") as ZmqModule & Record<string, unknown>;
  for (const [name, cls] of Object.entries(guardedClasses(zmq, (s) => guard(s, { context: ctx })))) zmq[name] = cls;

  const snapshot = (): WorkerSnapshot => ({
    history: [...(ctx.history ?? [])],
    tasks: tasks.tracker.nodes.map((n) => ({ id: n.id, name: n.name, site: n.site(), root: n.root().id })),
    main: tasks.tracker.main.id,
    sockets: ctx.sockets.map((s) => ({ name: s.name, type: s.type, creator: s.creator, createdAt: s.createdAt, joined: s.joined })),
    pending: pendingOf(ctx),
  });
  const closeAll = (): void => {
    for (const s of ctx.sockets) {
      if (s.raw.closed) continue;
      try {
        (s.raw as unknown as { linger: number }).linger = 0;
      } catch {
        // closing is what matters
      }
      s.raw.close();
    }
  };

  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const breach = teardownBreach(ctx);
    if (breach !== null) {
      ctx.report(breach, "thrown");
      throw breach;
    }
    return exit(code ?? undefined);
  }) as typeof process.exit;
  process.on("uncaughtException", (err) => {
    post({ t: "threw", error: wireError(err) });
    closeAll();
    setImmediate(() => exit(1));
  });
  process.on("exit", () => {
    post({ t: "snapshot", snapshot: snapshot() });
  });

  port.on("message", (raw: unknown) => {
    const m = toRunWorker(raw);
    if (m === null) return;
    if (m.t === "collect") post({ t: "snapshot", snapshot: snapshot() });
    else {
      ctx.ended = true;
      scheduler.stop();
      closeAll();
      post({ t: "snapshot", snapshot: snapshot() });
      post({ t: "disposed" });
    }
  });
  port.unref();

  await tasks.tracker.runAs(tasks.tracker.main, () => {
    if ("href" in data.entry) return import(data.entry.href);
    const module = { exports: {} };
    const run = new Function("require", "module", "exports", "__filename", "__dirname", data.entry.code) as (...a: unknown[]) => unknown;
    return run(createRequire(entryHref), module, module.exports, "[worker eval]", process.cwd());
  });
}
