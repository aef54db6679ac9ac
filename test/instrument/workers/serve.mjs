// A worker that serves requests from its own Reply socket until told to stop (plain JavaScript:
// worker files load without a TypeScript loader).
import { parentPort, workerData } from "node:worker_threads";
import { Reply } from "zeromq";

const rep = new Reply({ linger: 0 });
await rep.bind("tcp://127.0.0.1:*");
parentPort.postMessage(rep.lastEndpoint);
parentPort.once("message", (m) => {
  if (m === "stop") rep.close();
});
for await (const [msg] of rep) await rep.send(`${workerData.prefix} ${msg}`);
