// Measures, in a fresh process, the file descriptors zeromq.js and the kit's runs cost: the
// context, each socket type on inproc and tcp as binder and as connecter, a socket monitor,
// a worker thread, and a fresh child process. Linux only (counts /proc/self/fd). Prints one
// JSON object on stdout.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";

const CLASSES = {
  pair: zmq.Pair, pub: zmq.Publisher, sub: zmq.Subscriber, xpub: zmq.XPublisher, xsub: zmq.XSubscriber,
  push: zmq.Push, pull: zmq.Pull, req: zmq.Request, rep: zmq.Reply, dealer: zmq.Dealer, router: zmq.Router,
};
/** A type each one links with. */
const PEER = { pair: "pair", pub: "sub", sub: "pub", xpub: "sub", xsub: "pub", push: "pull", pull: "push", req: "rep", rep: "req", dealer: "router", router: "dealer" };

const open = () => readdirSync("/proc/self/fd").length;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** The count once it has not changed for 30 ms (libzmq connects and closes on its own threads), within 2 s. */
async function settled() {
  let last = open();
  for (let still = 0, waited = 0; still < 3 && waited < 2000; waited += 10) {
    await pause(10);
    const now = open();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

/** Closes `sockets` and waits until the count is back to `base` (libzmq closes on its own threads), within 5 s. */
async function closeAll(sockets, base) {
  for (const s of sockets) {
    s.linger = 0;
    s.close();
  }
  for (let waited = 0; open() > base && waited < 5000; waited += 10) await pause(10);
  await settled();
}

/** A measurement repeated until two in a row agree, at most five times (on a loaded machine an earlier descriptor can be released mid-measurement). */
async function agreed(measure) {
  let last = await measure();
  for (let k = 1; k < 5; k++) {
    const now = await measure();
    if (now === last) return now;
    last = now;
  }
  return last;
}

let endpoint = 0;

/** Descriptors added by `type` binding (or connecting) on `transport`, with its peer connected. */
async function link(type, role, transport) {
  const peerType = PEER[type];
  const [binderType, connecterType] = role === "bind" ? [type, peerType] : [peerType, type];
  const address = transport === "inproc" ? `inproc://measure-${endpoint++}` : "tcp://127.0.0.1:*";
  const base = await settled();
  const binder = new CLASSES[binderType]();
  await binder.bind(address);
  const bound = await settled();
  const connecter = new CLASSES[connecterType]();
  connecter.connect(binder.lastEndpoint ?? address);
  // A tcp connection comes up on libzmq's I/O thread: give it up to a second to show (three
  // descriptors with the socket's own) before waiting for the count to settle.
  for (let waited = 0; transport === "tcp" && open() - bound < 3 && waited < 1000; waited += 10) await pause(10);
  const linked = await settled();
  await closeAll([binder, connecter], base);
  return role === "bind" ? bound - base : linked - bound;
}

const out = { sockets: {}, inproc: {}, tcp: {} };
const before = await settled();
const first = new zmq.Pair();
const withContext = (await settled()) - before;
await closeAll([first], before + withContext - 1);
for (const type of Object.keys(CLASSES)) {
  out.sockets[type] = await agreed(async () => {
    const b = await settled();
    const s = new CLASSES[type]();
    const d = (await settled()) - b;
    await closeAll([s], b);
    return d;
  });
}
out.context = withContext - out.sockets.pair;
for (const transport of ["inproc", "tcp"]) {
  for (const type of Object.keys(CLASSES)) {
    out[transport][type] = { bind: await agreed(() => link(type, "bind", transport)), connect: await agreed(() => link(type, "connect", transport)) };
  }
}
// Socket type cost counted once: a link row minus the socket itself is what the transport adds.
{
  const b = await settled();
  const s = new zmq.Push();
  const events = s.events;
  const loop = (async () => {
    try {
      while (!events.closed) await events.receive();
    } catch {}
  })();
  out.observer = (await settled()) - b - out.sockets.push;
  s.linger = 0;
  s.close();
  await settled();
  try {
    events.close();
  } catch {}
  await loop;
  await settled();
}
{
  const b = await settled();
  const w = new Worker(`const { parentPort } = require("node:worker_threads"); const zmq = require(${JSON.stringify(createRequire(import.meta.url).resolve("zeromq"))}); const s = new zmq.Pair(); parentPort.postMessage(1); parentPort.once("message", () => { s.close(); process.exit(0); });`, { eval: true });
  await new Promise((r) => w.once("message", r));
  out.workerThread = (await settled()) - b - out.sockets.pair;
  w.postMessage(0);
  await new Promise((r) => w.once("exit", r));
}
/** Descriptors a child process holds at start, spawned as the kit spawns an isolated run. */
async function child(args) {
  const code = `process.send(require("node:fs").readdirSync("/proc/self/fd").length - 1, () => process.disconnect());`;
  const c = spawn(process.execPath, [...args, "-e", code], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  const n = await new Promise((resolve) => c.once("message", resolve));
  await new Promise((r) => c.once("close", r));
  return n;
}
out.child = await child([]);
out.childFromSource = await child(["--import", "tsx"]);
{
  const b = await settled();
  const c = spawn(process.execPath, ["-e", "process.once('message', () => process.disconnect())"], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  await new Promise((r) => c.once("spawn", r));
  out.spawn = (await settled()) - b;
  c.send(0);
  await new Promise((r) => c.once("close", r));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
