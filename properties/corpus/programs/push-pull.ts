/**
 * A parallel pipeline: ventilator, workers, sink.
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/push-pull/producer.ts and
 * examples/push-pull/worker.ts, and https://github.com/xieyuheng/zeromq-messaging-patterns,
 * src/parallel-pipeline/taskvent.ts, taskwork.ts and tasksink.ts.
 *
 * Concurrency kept: the ventilator binds a PUSH over tcp and sends the batch size to the sink on a
 * second PUSH; each worker task connects a PULL to the ventilator and a PUSH to the sink and runs
 * a `for await` loop that sleeps for the task's workload and sends a result; the sink binds a PULL
 * and takes messages until it has the start of the batch (with its size) and one result per task
 * (the start and the results come from different peers, so the start may come after results). Shutdown order: when the sink
 * has every result, the workers' sockets are closed under their pending receives (the loops end),
 * then the ventilator's and the sink's.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Pull, Push } from "zeromq";

export interface PushPullOptions {
  /** Workloads in ms, one task each. Default: 8 tasks of 0 to 3 ms. */
  readonly workloads?: readonly number[];
  /** Worker tasks. Default 3. */
  readonly workers?: number;
}

export interface PushPullResult {
  /** The results (`task:workload*2`), sorted. */
  readonly results: readonly string[];
  /** Tasks taken by the workers, summed. */
  readonly handled: number;
}

interface PipelineWorker {
  readonly receiver: Pull;
  readonly sender: Push;
  readonly done: Promise<number>;
}

function startWorker(ventilatorAddress: string, sinkAddress: string): PipelineWorker {
  const receiver = new Pull();
  receiver.connect(ventilatorAddress);
  const sender = new Push();
  sender.connect(sinkAddress);
  const work = async (): Promise<number> => {
    let handled = 0;
    for await (const [task, workload] of receiver) {
      const ms = Number(String(workload));
      await sleep(ms);
      await sender.send(["result", `${String(task)}:${ms * 2}`]);
      handled++;
    }
    return handled;
  };
  return { receiver, sender, done: work() };
}

async function collect(sink: Pull): Promise<string[]> {
  // The batch size and the results come from different peers, so in no set order.
  let size: number | undefined;
  const results: string[] = [];
  while (size === undefined || results.length < size) {
    const [kind, value] = await sink.receive();
    if (String(kind) === "start") size = Number(String(value));
    else results.push(String(value));
  }
  return results;
}

export async function run(options: PushPullOptions = {}): Promise<PushPullResult> {
  const workloads = options.workloads ?? [1, 3, 0, 2, 1, 0, 3, 2];

  const sink = new Pull();
  await sink.bind("tcp://127.0.0.1:*");
  const collecting = collect(sink);

  const ventilator = new Push();
  await ventilator.bind("tcp://127.0.0.1:*");
  const toSink = new Push();
  toSink.connect(sink.lastEndpoint as string);

  const workers = Array.from({ length: options.workers ?? 3 }, () => startWorker(ventilator.lastEndpoint as string, sink.lastEndpoint as string));

  await toSink.send(["start", String(workloads.length)]);
  for (const [task, ms] of workloads.entries()) await ventilator.send([String(task), String(ms)]);

  const results = await collecting;
  for (const w of workers) {
    w.receiver.close();
    w.sender.close();
  }
  const handled = (await Promise.all(workers.map((w) => w.done))).reduce((a, b) => a + b, 0);
  ventilator.close();
  toSink.close();
  sink.close();
  return { results: results.sort(), handled };
}
