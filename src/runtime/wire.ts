import type { SocketType } from "../interleaving/types.js";

/**
 * What goes on the wire for a program's message: the payload, then NUL, then the sending
 * socket's id, so a receiver knows the real sender even where fair queuing mixes several.
 * Payloads are printable (validated), so NUL never occurs in them. Set-up probes carry a
 * STX after their topic. XPUB subscription frames (0x01/0x00 + topic) carry no sender.
 */

const SEP = "\u0000";
const PROBE = "\u0002probe";

/** The frame for `payload` sent by socket `from`. */
export function encode(payload: string, from: string): string {
  return `${payload}${SEP}${from}`;
}

/** A set-up probe: `topic` first (so PUB/SUB filtering lets it through), then a sequence number. */
export function encodeProbe(topic: string, seq: number, from: string): string {
  return `${topic}${PROBE}${seq}${SEP}${from}`;
}

/** A decoded frame. */
export type Decoded =
  | { readonly kind: "message"; readonly payload: string; readonly from: string }
  | { readonly kind: "probe"; readonly seq: number; readonly from: string }
  | { readonly kind: "subscription"; readonly payload: string }
  | { readonly kind: "foreign"; readonly raw: string };

/** Reads a frame received by a socket of `type`. */
export function decode(type: SocketType, frame: string): Decoded {
  if (type === "xpub" && (frame.startsWith("\u0001") || frame.startsWith("\u0000"))) return { kind: "subscription", payload: frame };
  const at = frame.lastIndexOf(SEP);
  if (at < 0) return { kind: "foreign", raw: frame };
  const body = frame.slice(0, at);
  const from = frame.slice(at + 1);
  const probe = body.indexOf(PROBE);
  if (probe >= 0) return { kind: "probe", seq: Number(body.slice(probe + PROBE.length)), from };
  return { kind: "message", payload: body, from };
}

/** The frames a socket of `type` sends for one message to a peer of `peer` type (envelopes). */
export function outgoing(type: SocketType, frame: string, to: string | undefined, peer: SocketType | undefined): Array<string | Buffer> {
  if (type === "router") return peer === "req" ? [to ?? "", "", frame] : [to ?? "", frame];
  if (type === "dealer" && peer === "rep") return ["", frame];
  return [frame];
}

/** The frame that carries the message in a multipart message received by a socket of `type`. */
export function incoming(type: SocketType, frames: readonly Buffer[]): { frame: string; routingId: string | null } {
  if (type === "router") {
    const id = frames[0]?.toString("utf8") ?? "";
    const body = frames[frames.length - 1]?.toString("utf8") ?? "";
    return { frame: body, routingId: id };
  }
  return { frame: frames[frames.length - 1]?.toString("utf8") ?? "", routingId: null };
}
