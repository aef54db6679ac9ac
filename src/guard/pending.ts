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
    const op = { kind: "send", socket: this.socket } as { kind: "send"; socket: string; payload: string; nowait: boolean };
    LazyPayload.give(op, this.message);
    op.nowait = nowait;
    return op;
  }
}

/** A receive's result as the history shows it: the message, written as text when first read (most runs' histories are never read). */
export function messageResult(message: unknown): OpResult {
  const result = { kind: "message" } as { kind: "message"; payload: string; from: string };
  LazyPayload.give(result, message);
  result.from = "?";
  return result;
}

/** A base class whose constructor returns the object it is given: a subclass's private fields then go on that object. */
class Carrier {
  constructor(target: object) {
    return target;
  }
}

/**
 * The message behind a history entry's `payload`, kept on the entry as private fields (the
 * program never sees them); the text is written when `payload` is first read. The entry is a
 * plain object whose `payload` is an enumerable getter, as an object literal with a getter
 * would make it, but one getter serves every entry: an object literal with a getter of its own
 * is made in dictionary mode and costs about 0.8 µs, where this costs about 0.2 µs and keeps
 * the entry's fast properties (a run records one per send and per message received).
 */
class LazyPayload extends Carrier {
  #message: unknown;
  #text: string | undefined = undefined;

  private constructor(entry: object, message: unknown) {
    super(entry);
    this.#message = message;
  }

  /** Gives `entry` its `payload` (the next property in its key order): `payloadText(message)`, written when first read. */
  static give(entry: object, message: unknown): void {
    Object.defineProperty(entry, "payload", PAYLOAD);
    new LazyPayload(entry, message);
  }

  /** The payload text of an entry made by `give` (read through the getter; the empty string for any other object). */
  static text(entry: object): string {
    if (!(#message in entry)) return "";
    const e = entry as LazyPayload;
    return (e.#text ??= payloadText(e.#message));
  }
}

/** The `payload` property of every entry `LazyPayload.give` makes. */
const PAYLOAD: PropertyDescriptor = Object.freeze({
  get(this: object): string {
    return LazyPayload.text(this);
  },
  enumerable: true,
  configurable: true,
});
