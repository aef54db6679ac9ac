import { parentPort } from "node:worker_threads";
import * as zmq from "zeromq";
const x: number = 3;
parentPort!.postMessage({ x, t: typeof zmq.Subscriber });
