import { isUtf8 } from "node:buffer";
import type { ActorId, Op, OpResult } from "../interleaving/types.js";
import type { PendingView } from "../model/rules.js";

/**
 * Text of a message as the timeline shows it: strings as they are, multipart joined with `|`,
 * and buffers as UTF-8 when they read as text (a subscription frame's leading 0x00 or 0x01
 * included), else as hex (`0x0080f3a1c2`: a Router's routing id, binary payloads).
 */
export function payloadText(message: unknown): string {
  if (typeof message === "string") return message;
  if (Array.isArray(message)) return message.map(payloadText).join("|");
  if (message instanceof Uint8Array) return bytesText(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  if (message instanceof ArrayBuffer) return bytesText(Buffer.from(message));
  return message === null || message === undefined ? "" : String(message);
}

function bytesText(bytes: Buffer): string {
  // Control characters other than tab and newlines (past a subscription frame's first byte) make
  // it binary; so do bytes that are not UTF-8. (Checked before decoding: a Router's routing id,
  // five bytes from 0x00, is the common case, and a decoder that throws on it is slow.)
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && !(i === 0 && c <= 0x01)) || c === 0x7f) return `0x${bytes.toString("hex")}`;
  }
  if (!isUtf8(bytes)) return `0x${bytes.toString("hex")}`;
  return bytes.toString("utf8");
}

/**
 * One send or receive in flight on a guarded socket, as the rules see it (`PendingView`).
 * `nowait` is computed: an op is fire-and-forget until someone awaits it or attaches a handler.
 */
export class PendingRecord implements PendingView {
  readonly kind: "send" | "recv";
  readonly socket: string;
  readonly actor: ActorId;
  /** Position of the op among the actor's ops (history order); -1 when history is off. */
  readonly index: number;
  readonly step: number;
  /** The message of a send (kept as given; turned into text only when a report needs it). */
  readonly message: unknown;
  /** Someone awaited the op's promise or attached a handler to it. */
  observed = false;
  /**
   * The op completed at once for real, but the run holds it as if it had to wait (zeromq.js
   * defers one op in 513 that could complete at once): a violation it takes part in is a
   * hazard, reported with when zeromq.js really fails.
   */
  simulated = false;
  /** The real op completed inside the call (zeromq.js resolved it at once). */
  atOnce = false;
  /** The promise handed to the caller. */
  promise: Promise<unknown> | null = null;
  /** Index of the op's invoke event in the history, or -1. */
  invokeAt = -1;
  /** Scheduled mode: settles the caller's promise. */
  deliver: ((ok: boolean, value: unknown) => void) | null = null;

  constructor(kind: "send" | "recv", socket: string, actor: ActorId, index: number, step: number, message: unknown) {
    this.kind = kind;
    this.socket = socket;
    this.actor = actor;
    this.index = index;
    this.step = step;
    this.message = message;
  }

  get nowait(): boolean {
    return !this.observed;
  }

  get op(): Op {
    return this.opWith(!this.observed);
  }

  /** The op as the history shows it, fire-and-forget or not as given; a send's payload is written when first read. */
  opWith(nowait: boolean): Op {
    if (this.kind === "recv") return { kind: "recv", socket: this.socket, nowait };
    const message = this.message;
    let text: string | undefined;
    return {
      kind: "send",
      socket: this.socket,
      get payload(): string {
        return (text ??= payloadText(message));
      },
      nowait,
    };
  }
}

/** A receive's result as the history shows it: the message, written as text when first read (most runs' histories are never read). */
export function messageResult(message: unknown): OpResult {
  let text: string | undefined;
  return {
    kind: "message",
    get payload(): string {
      return (text ??= payloadText(message));
    },
    from: "?",
  };
}
