import { Worker } from "node:worker_threads";

/**
 * Starts the kit's own worker threads and child processes from the files next to this one.
 * From the published package these are plain `.js`; from a source checkout (tests run the
 * `.ts` files) the `tsx` loader is registered first, so the same code runs either way.
 */

/** The file of a runtime module next to this one, in the same flavour (`.js` or `.ts`). */
export function sibling(name: string): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${name}${ext}`, import.meta.url);
}

/** Whether the kit runs from its TypeScript sources (tests) rather than the compiled package. */
export function fromSource(): boolean {
  return import.meta.url.endsWith(".ts");
}

/** Starts a worker thread running runtime module `name`. */
export function startWorker(name: string, workerData: unknown): Worker {
  const entry = sibling(name);
  if (!fromSource()) return new Worker(entry, { workerData });
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** The node arguments that run runtime module `name` in a child process. */
export function childArgs(name: string): string[] {
  const entry = sibling(name);
  const path = decodeURIComponent(entry.pathname);
  return fromSource() ? ["--import", import.meta.resolve("tsx"), path] : [path];
}
