/**
 * Messages between a shutdown child's main thread and the worker that hosts one end of the
 * pair, as tagged unions decoded in one place.
 */
import type { FrameKind } from "../rig/frames.js";
import type { PublisherKind } from "../rig/sockets.js";

/** What the worker hosts, fixed at start (`workerData`). */
export type Hosted =
  | { readonly side: "pub"; readonly kind: PublisherKind; readonly linger: number; readonly reader: boolean }
  | { readonly side: "sub"; readonly linger: number; readonly pending: boolean };

/** A request from the main thread; `id` matches the reply. */
export type Request =
  | { readonly id: number; readonly op: "open"; readonly address: string }
  | { readonly id: number; readonly op: "publish"; readonly frame: Uint8Array }
  | { readonly id: number; readonly op: "send-data"; readonly count: number; readonly size: number }
  | { readonly id: number; readonly op: "join" }
  | { readonly id: number; readonly op: "close"; readonly quietMs: number };

/** A message from the worker. */
export type WorkerMessage =
  | { readonly type: "reply"; readonly id: number; readonly value: string | number | null }
  | { readonly type: "error"; readonly id: number; readonly message: string }
  | { readonly type: "frame"; readonly kind: FrameKind }
  | { readonly type: "delivered"; readonly count: number };

/** Checks a value received from the worker. */
export function decodeWorkerMessage(value: unknown): WorkerMessage {
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    switch (v["type"]) {
      case "reply":
        if (typeof v["id"] === "number" && (typeof v["value"] === "string" || typeof v["value"] === "number" || v["value"] === null)) {
          return { type: "reply", id: v["id"], value: v["value"] };
        }
        break;
      case "error":
        if (typeof v["id"] === "number" && typeof v["message"] === "string") return { type: "error", id: v["id"], message: v["message"] };
        break;
      case "frame":
        if (v["kind"] === "data" || v["kind"] === "probe" || v["kind"] === "fence" || v["kind"] === "other") return { type: "frame", kind: v["kind"] };
        break;
      case "delivered":
        if (typeof v["count"] === "number") return { type: "delivered", count: v["count"] };
        break;
    }
  }
  throw new Error(`not a worker message: ${JSON.stringify(value)}`);
}

/** Checks a value received from the main thread. */
export function decodeRequest(value: unknown): Request {
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    const id = v["id"];
    if (typeof id === "number") {
      switch (v["op"]) {
        case "open":
          if (typeof v["address"] === "string") return { id, op: "open", address: v["address"] };
          break;
        case "publish":
          if (v["frame"] instanceof Uint8Array) return { id, op: "publish", frame: v["frame"] };
          break;
        case "send-data":
          if (typeof v["count"] === "number" && typeof v["size"] === "number") return { id, op: "send-data", count: v["count"], size: v["size"] };
          break;
        case "join":
          return { id, op: "join" };
        case "close":
          if (typeof v["quietMs"] === "number") return { id, op: "close", quietMs: v["quietMs"] };
          break;
      }
    }
  }
  throw new Error(`not a request: ${JSON.stringify(value)}`);
}
