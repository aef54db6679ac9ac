import { sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The kit's own source or build folder (`src/` or `dist/`): frames inside it are skipped. */
const KIT_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * One stack line naming where user code created or guarded a socket (`file:line:column`,
 * with the function when V8 knows it). Frames of the kit, of zeromq and of Node are skipped.
 * Paths under the working directory are shown relative to it. Captured once per socket,
 * never per call.
 */
export function creationSite(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const frames = stack
    .split("\n")
    .slice(1)
    .map((l) => l.trim().replace(/^at /, ""));
  const user = frames.find((f) => !f.includes(KIT_DIR) && !/node_modules[\\/]zeromq[\\/]/.test(f) && !f.includes("node:internal") && !f.startsWith("new Promise"));
  return relative(user ?? frames[0] ?? "(unknown)");
}

/** The frame with the working directory taken off its path (plain or `file://`). */
function relative(frame: string): string {
  const cwd = process.cwd() + sep;
  return frame.split(pathToFileURL(cwd).href).join("").split(cwd).join("");
}
