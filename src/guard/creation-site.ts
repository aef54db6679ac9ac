import { callSites, firstUserFrame, frameText } from "./frames.js";

/** Frames looked at for the user's frame first, then if none of them is. */
const NEAR = 8;
const FAR = 50;

/**
 * One stack line naming where user code created or guarded a socket (`fn (file:line:column)`),
 * source-mapped when the test runner maps stacks. Frames of the kit, of installed packages and
 * of Node are skipped (the bug zoo's programs count as user code). Captured once per socket,
 * never per call; the line is written when first read (most runs never show it).
 */
export function creationSite(): () => string {
  // The user's frame is a few frames down (the socket class, the guard); a capture costs more the more frames it takes.
  const site = firstUserFrame(callSites(NEAR, creationSite)) ?? firstUserFrame(callSites(FAR, creationSite));
  let text: string | undefined;
  return () => (text ??= site === undefined ? "(unknown)" : frameText(site));
}
