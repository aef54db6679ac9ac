/**
 * What a benchmark child process tells its parent: one JSON object per stdout line behind a
 * fixed prefix, decoded in one place. Other lines are ordinary output and pass through.
 */

const prefix = "@zmq-bench ";

/** One message from a child. Times are epoch milliseconds with sub-millisecond precision. */
export type ChildMessage =
  | { readonly kind: "mark"; readonly name: string; readonly at: number }
  | { readonly kind: "value"; readonly name: string; readonly value: number }
  | { readonly kind: "result"; readonly metrics: Readonly<Record<string, number>>; readonly notes: Readonly<Record<string, string>> };

/** Wall-clock now in epoch ms, comparable across processes on one machine. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The line (with newline) that carries `message`. */
export function encodeMessage(message: ChildMessage): string {
  return `${prefix}${JSON.stringify(message)}\n`;
}

/** The message a line carries, or `undefined` for a line that is not one. */
export function decodeLine(line: string): ChildMessage | undefined {
  if (!line.startsWith(prefix)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(prefix.length));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  switch (v["kind"]) {
    case "mark":
      return typeof v["name"] === "string" && typeof v["at"] === "number" ? { kind: "mark", name: v["name"], at: v["at"] } : undefined;
    case "value":
      return typeof v["name"] === "string" && typeof v["value"] === "number" ? { kind: "value", name: v["name"], value: v["value"] } : undefined;
    case "result":
      return isRecordOf(v["metrics"], "number") && isRecordOf(v["notes"], "string")
        ? { kind: "result", metrics: v["metrics"], notes: v["notes"] }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Writes `message` to stdout. On Linux a pipe write from the main thread is synchronous, so
 * a mark written just before the process hangs or aborts still reaches the parent.
 */
export function emit(message: ChildMessage): void {
  process.stdout.write(encodeMessage(message));
}

function isRecordOf<T extends "number" | "string">(
  value: unknown,
  type: T,
): value is Record<string, T extends "number" ? number : string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((x) => typeof x === type);
}
