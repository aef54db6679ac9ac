/**
 * BUGGY (order bugs of depth 1, 2 and 3): a service that assumes its configuration arrives before
 * the jobs sent after it on other sockets.
 *
 * Follows https://github.com/xieyuheng/zeromq-messaging-patterns, src/mydemo/startBroker.ts,
 * brokerListenFrontend.ts and brokerListenBackend.ts (one `for await` loop per socket, started
 * side by side, sharing the broker's state), and the control/data split of
 * https://github.com/zeromq/zeromq.js, examples/threaded-worker/threaded-worker.ts (a separate
 * socket and loop for control messages).
 *
 * Concurrency kept: the service binds a config PULL and `depth` job PULLs over tcp and runs one
 * `for await` loop per socket. A controller task connects a PUSH to each, sends the configuration
 * first, then one job on each job socket, each send awaited. Jobs that arrive before the
 * configuration wait in a backlog of `depth - 1` places and are applied when it comes. Shutdown
 * order: when every job is applied (or a loop has failed), all sockets are closed under their
 * pending receives (the loops end); a failure is thrown by `run()`.
 *
 * What goes wrong, and when: nothing orders deliveries across sockets. If all `depth` jobs are
 * received before the configuration, the backlog overflows and the job loop throws ("job arrived
 * before the configuration and the backlog is full"), which `run()` rethrows. That needs the
 * configuration, sent first, to be overtaken by `depth` later messages: an order bug of depth
 * `depth` (depth 1: one delivery out of order; depth 3: three). Over tcp each socket's messages
 * travel on a connection of their own through libzmq's I/O thread, so nothing forbids it; on the
 * real binding the configuration, sent first, is nearly always received first, so raw runs pass.
 * (Over inproc it cannot happen: a message is in the receiver's pipe when it is sent, and the
 * receivers resume in the order their messages came.)
 */
import { Pull, Push } from "zeromq";

export interface ConfigOvertakenResult {
  /** `job:setting` for every job, sorted. */
  readonly applied: readonly string[];
}

class Service {
  private config: string | undefined;
  private readonly backlog: string[] = [];
  readonly applied: string[] = [];
  private finished: (error?: unknown) => void = () => undefined;
  readonly done: Promise<void>;
  private readonly depth: number;
  private readonly jobs: number;

  constructor(depth: number, jobs: number) {
    this.depth = depth;
    this.jobs = jobs;
    this.done = new Promise<void>((resolve, reject) => {
      this.finished = (error) => (error === undefined ? resolve() : reject(error));
    });
  }

  async configLoop(socket: Pull): Promise<void> {
    for await (const [setting] of socket) {
      this.config = String(setting);
      for (const job of this.backlog.splice(0)) this.apply(job);
    }
  }

  async jobLoop(socket: Pull): Promise<void> {
    try {
      for await (const [job] of socket) {
        if (this.config !== undefined) this.apply(String(job));
        else if (this.backlog.length < this.depth - 1) this.backlog.push(String(job));
        else throw new Error(`job ${String(job)} arrived before the configuration and the backlog (${this.depth - 1}) is full`);
      }
    } catch (err) {
      this.finished(err);
    }
  }

  private apply(job: string): void {
    this.applied.push(`${job}:${this.config as string}`);
    if (this.applied.length === this.jobs) this.finished();
  }
}

export interface ConfigOvertakenOptions {
  /** Jobs (one per job socket) that must overtake the configuration for the bug to show. Default 1. */
  readonly depth?: number;
}

export async function run(options: ConfigOvertakenOptions = {}): Promise<ConfigOvertakenResult> {
  const depth = options.depth ?? 1;
  const service = new Service(depth, depth);
  const configIn = new Pull();
  await configIn.bind("tcp://127.0.0.1:*");
  const jobIns = await Promise.all(
    Array.from({ length: depth }, async () => {
      const socket = new Pull();
      await socket.bind("tcp://127.0.0.1:*");
      return socket;
    }),
  );
  const loops = [service.configLoop(configIn), ...jobIns.map((s) => service.jobLoop(s))];

  const configOut = new Push();
  configOut.connect(configIn.lastEndpoint ?? "");
  const jobOuts = jobIns.map((jobIn) => {
    const socket = new Push();
    socket.connect(jobIn.lastEndpoint ?? "");
    return socket;
  });

  try {
    await configOut.send("fast");
    for (const [k, socket] of jobOuts.entries()) await socket.send(`job ${k}`);
    await service.done;
    return { applied: [...service.applied].sort() };
  } finally {
    for (const s of [configOut, ...jobOuts, configIn, ...jobIns]) s.close();
    await Promise.all(loops);
  }
}
