import { createRequire } from "node:module";
import * as zmq from "zeromq";
import { formatTable, measureRows } from "./table.js";

/**
 * Re-measures every row of `docs/binding-timing.md` on the real binding and prints the
 * table as markdown (progress goes to stderr). Run: `npx tsx test/binding/print-table.ts`.
 */

const binding = (createRequire(import.meta.url)("zeromq/package.json") as { version: string }).version;
const started = Date.now();
const rows = await measureRows((r) => process.stderr.write(`measured ${r.id} ${r.sockets} ${r.transport}\n`));
console.log(`Measured on zeromq ${binding} (libzmq ${zmq.version}), Node ${process.versions.node}, ${process.platform}/${process.arch}, in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
console.log(formatTable(rows));
