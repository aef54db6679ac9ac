// A worker whose receive waits forever, then exits (`exit`) or throws (`throw`) on its parent's word.
import { parentPort } from "node:worker_threads";
import { Pull } from "zeromq";

const pull = new Pull({ linger: 0 });
await pull.bind("tcp://127.0.0.1:*");
const waiting = pull.receive().catch(() => undefined);
parentPort.postMessage(pull.lastEndpoint);
parentPort.once("message", (m) => {
  if (m === "exit") {
    try {
      process.exit(0);
    } catch (err) {
      parentPort.postMessage(`refused: ${err.rule}`);
      pull.close();
    }
  } else if (m === "throw") {
    throw new Error("the worker gave up");
  }
});
await waiting;
