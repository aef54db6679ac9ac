import { callSites, firstUserFrame, frameText } from "./frames.js";

/**
 * One stack line naming where user code created or guarded a socket (`fn (file:line:column)`),
 * source-mapped when the test runner maps stacks. Frames of the kit, of installed packages and
 * of Node are skipped (the bug zoo's programs count as user code). Captured once per socket,
 * never per call; the line is written when first read (most runs never show it).
 */
export function creationSite(): () => string {
  const site = firstUserFrame(callSites(50, creationSite));
  let text: string | undefined;
  return () => (text ??= site === undefined ? "(unknown)" : frameText(site));
}
