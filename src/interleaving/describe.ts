import { actorName } from "./actor.js";
import type { Op, OpResult } from "./types.js";

/** An op as a person would write it in code: `send("a")`, `void receive()`, `readable`, `close()`. */
export function describeOp(op: Op): string {
  switch (op.kind) {
    case "send":
      return `${op.nowait ? "void " : ""}send(${JSON.stringify(op.payload)}${op.to === undefined ? "" : `, to ${op.to}`})`;
    case "recv":
      return `${op.nowait ? "void " : ""}receive()`;
    case "poll":
      return op.event;
    case "close":
      return "close()";
    case "subscribe":
      return `subscribe(${JSON.stringify(op.topic)})`;
    case "unsubscribe":
      return `unsubscribe(${JSON.stringify(op.topic)})`;
    case "handoff":
      return `handoff(${actorName(op.to)})`;
    case "exit":
      return "exit()";
  }
}

/** A result in a few characters: `ok`, `"a" from s1`, `true`, `EBUSY`. */
export function describeResult(result: OpResult): string {
  switch (result.kind) {
    case "done":
      return "ok";
    case "message":
      return `${JSON.stringify(result.payload)} from ${result.from}`;
    case "poll":
      return String(result.value);
    case "error":
      return `${result.sync ? "throws" : "rejects"} ${result.code}`;
  }
}
