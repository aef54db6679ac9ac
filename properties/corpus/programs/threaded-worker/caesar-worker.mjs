// The worker thread of threaded-worker/index.ts (plain JavaScript so a worker can load it
// without a TypeScript loader).
//
// Follows https://github.com/zeromq/zeromq.js, examples/threaded-worker/threaded-worker.ts: a
// PULL for work (receive high-water mark 1), a PUSH for results and a SUBSCRIBER for the stop
// signal, each with its own loop; the signal loop's stop handler closes all three sockets, which
// ends both loops, and the thread then exits by itself.
import { threadId, workerData } from "node:worker_threads";
import { Pull, Push, Subscriber } from "zeromq";

const { input: inputAddress, output: outputAddress, signal: signalAddress, shift } = workerData;

const input = new Pull({ receiveHighWaterMark: 1 });
const output = new Push();
const signal = new Subscriber();

input.connect(inputAddress);
output.connect(outputAddress);
signal.connect(signalAddress);
signal.subscribe("stop");

function stop() {
  input.close();
  output.close();
  signal.close();
}

async function listen() {
  for await (const [sig] of signal) {
    if (String(sig) === "stop") stop();
  }
}

function caesar(char) {
  const code = char.charCodeAt(0);
  if (code >= 65 && code <= 90) return String.fromCharCode(((code - 65 + shift) % 26) + 65);
  if (code >= 97 && code <= 122) return String.fromCharCode(((code - 97 + shift) % 26) + 97);
  return char;
}

async function work() {
  // Tell the parent this thread is connected and subscribed before any work is pushed.
  await output.send(["ready", String(threadId)]);
  for await (const [pos, req] of input) {
    await output.send([pos, caesar(String(req)), String(threadId)]);
  }
}

await Promise.all([listen(), work()]);
