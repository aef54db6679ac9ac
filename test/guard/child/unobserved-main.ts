// Child process for unobserved.test.ts: a plain guard in a process with no listener of its own,
// in the mode given as argv[2]. Exits 0 only if the process survives.
import * as zmq from "zeromq";
import { createGuardContext } from "../../../src/guard/context.js";
import { guard } from "../../../src/guard/guard.js";
import { OwnershipError } from "../../../src/guard/ownership-error.js";

const mode = process.argv[2] ?? "kit";
const ctx = createGuardContext();
const raw = new zmq.Pull({ linger: 0 });
const pull = guard(raw, { context: ctx });
await raw.bind(`inproc://unobserved-${process.pid}`);

if (mode === "handled") {
  process.on("unhandledRejection", (reason) => {
    console.log(`handler got ${OwnershipError.is(reason) ? `OwnershipError ${reason.rule}` : String(reason)}`);
  });
}
if (mode === "foreign") {
  // Not the kit's: the process must end on it exactly as it would without the guard.
  void Promise.reject(new Error("not the kit's"));
} else {
  void pull.receive();
  pull.close();
}
await new Promise((r) => setTimeout(r, 50));
pull.close();
console.log(`survived; violations: ${ctx.violations.map((v) => v.rule).join(",") || "none"}`);
