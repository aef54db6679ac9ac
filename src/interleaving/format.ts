import { flag, optionsRecord } from "../input/options.js";
import { actorName } from "./actor.js";
import type { Interleaving, Op, SocketSpec } from "./types.js";
import { validateInterleaving } from "./validate.js";

/**
 * The compact text form of an interleaving, one line by default:
 *
 *     zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule 0 1
 *
 * Sections are separated by `|` (or newlines with `multiline`): the header (format version,
 * ownership, transport), one section per socket, one per program, then the schedule, and the
 * race choices (`| races 1 0`) when there are any.
 * `parseInterleaving` reads it back to a deep-equal value.
 */

/** Version tag that starts every interleaving string. */
export const FORMAT_TAG = "zi1";

function formatSocket(s: SocketSpec): string {
  const parts = [s.id, s.type, actorName(s.owner), s.role, s.endpoint];
  for (const t of s.subscriptions) parts.push(`topic=${JSON.stringify(t)}`);
  if (s.linger !== -1) parts.push(`linger=${s.linger}`);
  return parts.join(" ");
}

/** One op in text form: `void send s0 "a"`, `recv s1`, `poll s0 readable`, `handoff s0 main/t1`. */
export function formatOp(op: Op): string {
  switch (op.kind) {
    case "send":
      return `${op.nowait ? "void " : ""}send ${op.socket} ${JSON.stringify(op.payload)}${op.to === undefined ? "" : ` to ${op.to}`}`;
    case "recv":
      return `${op.nowait ? "void " : ""}recv ${op.socket}`;
    case "poll":
      return `poll ${op.socket} ${op.event}`;
    case "close":
      return `close ${op.socket}`;
    case "subscribe":
    case "unsubscribe":
      return `${op.kind} ${op.socket} ${JSON.stringify(op.topic)}`;
    case "handoff":
      return `handoff ${op.socket} ${actorName(op.to)}`;
    case "exit":
      return "exit";
  }
}

/** Options of `formatInterleaving`. */
export interface FormatOptions {
  /** One section per line instead of `|`-separated on one line. */
  readonly multiline?: boolean;
}

/**
 * The text form of `x`; `parseInterleaving(formatInterleaving(x))` deep-equals `x`. Throws
 * `InvalidInterleavingError` for a value that does not validate (its text would not read back).
 */
export function formatInterleaving(x: Interleaving, options: FormatOptions = {}): string {
  const o = optionsRecord("formatInterleaving", options, ["multiline"]);
  const multiline = flag("formatInterleaving: multiline", o.multiline, false);
  validateInterleaving(x);
  return writeInterleaving(x, multiline);
}

/** `formatInterleaving` without its checks, for a value known to be valid. */
export function writeInterleaving(x: Interleaving, multiline = false): string {
  const sections = [
    `${FORMAT_TAG} ${x.scenario.ownership} ${x.scenario.transport}`,
    ...x.scenario.sockets.map(formatSocket),
    ...x.programs.map((p) => `${actorName(p.actor)}:${p.ops.length === 0 ? "" : " "}${p.ops.map(formatOp).join(", ")}`),
    `schedule${x.schedule.map((c) => ` ${c}`).join("")}`,
    ...(x.races === undefined || x.races.length === 0 ? [] : [`races${x.races.map((c) => ` ${c}`).join("")}`]),
  ];
  return sections.join(multiline ? "\n" : " | ");
}
