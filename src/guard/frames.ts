import { sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Call sites of the running code, as V8 gives them (`NodeJS.CallSite`), for the task tracker
 * and the guard: which user function is running, where it was started from, where a socket
 * was created, and how to show that place.
 * Captures are cut short (`limit`) because the tracker takes one on hot paths (an async
 * function's entry, an op): a capture costs 2 to 3 µs alone and 5 to 7 µs in a run (with the
 * garbage its call sites make), and each frame taken adds about 0.2 µs.
 */

/** The kit's own source or build folder: frames inside it are not user code (except the bug zoo's programs). */
const KIT_DIR = fileURLToPath(new URL("..", import.meta.url));
const ZOO_DIR = `${KIT_DIR}zoo${sep}`;
/** The same folders as V8 names ES modules (`file://` URLs), so a frame's file is compared without converting it. */
const KIT_URL = new URL("..", import.meta.url).href;
const ZOO_URL = new URL("../zoo/", import.meta.url).href;
/** Installed packages (zeromq's JavaScript layer, the test runner, fake-timers) are not the program under test either. */
const PACKAGES = /[\\/]node_modules[\\/]/;

const asCallSites = (_error: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;

/** The top `limit` call sites above `skip` (a function on the stack, left out with everything above it). */
export function callSites(limit: number, skip: (...args: never[]) => unknown): NodeJS.CallSite[] {
  const previousLimit = Error.stackTraceLimit;
  const previousPrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = asCallSites;
  const holder: { stack?: unknown } = {};
  try {
    Error.captureStackTrace(holder, skip);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
}

/** A frame of the program under test: a JavaScript function with a file, outside Node, installed packages and the kit. */
export function isUserFrame(site: NodeJS.CallSite): boolean {
  const file = site.getFileName();
  if (file === undefined || file === null || site.getLineNumber() === null) return false;
  return isUserFile(file);
}

/** A file of the program under test: outside Node, installed packages and the kit (the bug zoo's programs count as the program's). */
function isUserFile(file: string): boolean {
  if (file.startsWith("node:")) return false;
  if (PACKAGES.test(file)) return false;
  return file.startsWith("file:") ? !file.startsWith(KIT_URL) || file.startsWith(ZOO_URL) : !file.startsWith(KIT_DIR) || file.startsWith(ZOO_DIR);
}

/**
 * `isUserFrame` with each file's answer kept: the task tracker asks about the frames of a few
 * files hundreds of times a run.
 */
export class UserFrames {
  private readonly files = new Map<string, boolean>();

  /** Is `site` a frame of the program under test (as `isUserFrame`)? */
  has(site: NodeJS.CallSite): boolean {
    const file = site.getFileName();
    if (file === undefined || file === null) return false;
    let user = this.files.get(file);
    if (user === undefined) {
      user = isUserFile(file);
      this.files.set(file, user);
    }
    return user && site.getLineNumber() !== null;
  }
}

/** The first user frame of `sites`, or undefined. */
export function firstUserFrame(sites: readonly NodeJS.CallSite[]): NodeJS.CallSite | undefined {
  for (const s of sites) if (isUserFrame(s)) return s;
  return undefined;
}

/**
 * Which function a frame runs, stable across its calls: its file and where the function
 * starts (V8's enclosing position). Two frames of one function (its start and a later await,
 * say) have the same key.
 */
export function functionKey(site: NodeJS.CallSite): string {
  return `${site.getFileName() ?? "?"}:${site.getEnclosingLineNumber() ?? 0}:${site.getEnclosingColumnNumber() ?? 0}`;
}

/**
 * Is this parentless promise the one an async function creates when it is called? V8 creates
 * it at the call, with the called function as the top frame, positioned on the function's
 * first line. (A native promise API called from user code has the caller as the top frame,
 * positioned where the call is: a later line, except in one-line functions.)
 */
export function isAsyncEntry(top: NodeJS.CallSite | undefined, isUser: (site: NodeJS.CallSite) => boolean = isUserFrame): top is NodeJS.CallSite {
  return top !== undefined && isUser(top) && top.getLineNumber() === top.getEnclosingLineNumber();
}

/** The function's name as a person reads it: `Broker.start`, `serve`, or `anonymous`. */
export function functionName(site: NodeJS.CallSite): string {
  const fn = site.getFunctionName();
  const type = site.getTypeName();
  const method = site.getMethodName();
  if (fn !== null && fn !== "") return type !== null && type !== "Object" && !fn.includes(".") && method !== null ? `${type}.${fn}` : fn;
  return "anonymous";
}

/** `file:line:column` of a call site, relative to the working directory; source-mapped when the test runner maps stacks. */
export function siteText(site: NodeJS.CallSite): string {
  const prepare = Error.prepareStackTrace;
  let text: string | null = null;
  if (typeof prepare === "function" && prepare !== asCallSites) {
    try {
      // The runner's formatter (vitest maps positions to the TypeScript source): ask it for this one frame.
      const formatted = prepare(new Error(), [site]);
      const line = String(formatted).split("\n").find((l) => l.trim().startsWith("at "));
      const m = line === undefined ? null : /\(([^()]+)\)\s*$/.exec(line) ?? /at (.+)$/.exec(line.trim());
      if (m?.[1] !== undefined) text = m[1];
    } catch {
      text = null;
    }
  }
  text ??= `${site.getFileName() ?? "?"}:${site.getLineNumber() ?? 0}:${site.getColumnNumber() ?? 0}`;
  return relative(text);
}

/** The text with the working directory taken off its paths (plain or `file://`). */
export function relative(text: string): string {
  const cwd = process.cwd() + sep;
  return text.split(pathToFileURL(cwd).href).join("").split(cwd).join("");
}

/** `fn (file:line:column)` for a frame, or just the place when the function has no name. */
export function frameText(site: NodeJS.CallSite): string {
  const at = siteText(site);
  const fn = site.getFunctionName();
  if (fn === null || fn === "") return at;
  const type = site.getTypeName();
  return `${type !== null && type !== "Object" && !fn.includes(".") ? `${type}.${fn}` : fn} (${at})`;
}
