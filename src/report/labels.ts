import { actorName } from "../interleaving/actor.js";
import type { Op, OpResult, Scenario, SocketSpec } from "../interleaving/types.js";
import { truncate } from "./fit.js";

/** How labels shorten user text. */
export interface LabelOptions {
  /** Longest payload or topic shown, in code points, before it is cut with an ellipsis. Default 16. */
  readonly maxPayload?: number;
  /** Plain ASCII: `...` instead of `…`. */
  readonly ascii?: boolean;
}

/** Default `maxPayload`. */
export const DEFAULT_MAX_PAYLOAD = 16;

function quoted(text: string, options: LabelOptions): string {
  const max = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  const ascii = options.ascii === true;
  // Cut first, then escape: the cut never lands inside an escape sequence.
  return JSON.stringify(truncate(text, Math.max(1, max), ascii));
}

/**
 * An op as code on its socket: `s0.send("a")`, `void s0.receive()`, `s0.readable`,
 * `s0.handoff(main/t1)`, `exit()`. Long payloads and topics end with an ellipsis.
 */
export function opLabel(op: Op, options: LabelOptions = {}): string {
  switch (op.kind) {
    case "send":
      return `${op.nowait ? "void " : ""}${op.socket}.send(${quoted(op.payload, options)}${op.to === undefined ? "" : `, to ${op.to}`})`;
    case "recv":
      return `${op.nowait ? "void " : ""}${op.socket}.receive()`;
    case "poll":
      return `${op.socket}.${op.event}`;
    case "close":
      return `${op.socket}.close()`;
    case "subscribe":
    case "unsubscribe":
      return `${op.socket}.${op.kind}(${quoted(op.topic, options)})`;
    case "handoff":
      return `${op.socket}.handoff(${actorName(op.to)})`;
    case "exit":
      return "exit()";
  }
}

/** A result in a few characters: `ok`, `"a" from s1`, `true`, `throws EBUSY`, `rejects EAGAIN`. */
export function resultLabel(result: OpResult, options: LabelOptions = {}): string {
  switch (result.kind) {
    case "done":
      return "ok";
    case "message":
      // A run of user code does not know which socket a message came from ("?").
      return result.from === "?" ? quoted(result.payload, options) : `${quoted(result.payload, options)} from ${result.from}`;
    case "poll":
      return String(result.value);
    case "error":
      return `${result.sync ? "throws" : "rejects"} ${result.code}`;
  }
}

/** One socket for the legend: `s0 pull, owner main/t0, bind e0` (plus topics and linger when set). */
export function socketLabel(spec: SocketSpec, options: LabelOptions = {}): string {
  const parts = [`${spec.id} ${spec.type}`, `owner ${actorName(spec.owner)}`, `${spec.role} ${spec.endpoint}`];
  if (spec.subscriptions.length > 0) parts.push(`topics ${spec.subscriptions.map((t) => quoted(t, options)).join(" ")}`);
  if (spec.linger !== -1) parts.push(`linger ${spec.linger}`);
  return parts.join(", ");
}

/** The scenario's rules in words: `ownership by thread, inproc transport`. */
export function scenarioLabel(scenario: Scenario): string {
  return `ownership by ${scenario.ownership}, ${scenario.transport} transport`;
}
