// Without vi.mock: instrument zeromq in place, then import the service and check it.
import { instrumentInPlace } from "../../../src/instrument/instrument.js";
import { checkInterleaves } from "../../../src/instrument/check.js";

const zmq = instrumentInPlace();
const { twoHandlers } = await import("./service.js");
let n = 0;
const result = await checkInterleaves(() => twoHandlers(`inproc://in-place-${++n}`), { zmq, runs: 5, seed: 1 });
process.stdout.write(`${JSON.stringify({ kind: result.kind, label: result.kind === "failed" ? result.label : null })}\n`);
