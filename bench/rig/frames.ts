/**
 * The frames the benchmarks publish, told apart by their first byte: data (counted as
 * deliveries), join probes and fences (used to prove a subscriber's join and drain the
 * probes before timing), anything else.
 */

/** What one received frame is. */
export type FrameKind = "data" | "probe" | "fence" | "other";

const tags = { data: 0x64, probe: 0x70, fence: 0x66 } as const;

/** A data frame of exactly `size` bytes (size >= 1). Reuse it: sending does not consume it. */
export function dataFrame(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`frame size must be a positive integer, got ${size}`);
  const frame = Buffer.alloc(size, 0x2e);
  frame[0] = tags.data;
  return frame;
}

/** A join probe: published until each subscriber has received one. */
export function probeFrame(): Buffer {
  return Buffer.from([tags.probe]);
}

/** A fence: once a subscriber has it, no probe published before it is still in flight. */
export function fenceFrame(): Buffer {
  return Buffer.from([tags.fence]);
}

/** The kind of a received frame. */
export function frameKind(frame: Uint8Array): FrameKind {
  switch (frame[0]) {
    case tags.data:
      return "data";
    case tags.probe:
      return "probe";
    case tags.fence:
      return "fence";
    default:
      return "other";
  }
}
