import { randomUUID } from "node:crypto";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InvalidOptionsError } from "../errors.js";
import { showText } from "../input/show.js";

/**
 * Directories the report functions write into, made and checked without `mkdir -p`: Node 20's
 * recursive mkdir can spin forever on some paths (under `/proc`), so each missing level is
 * made on its own, and every failure is a typed error that names the path and the reason.
 */

function reason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EROFS":
      return "the file system is read-only";
    case "ENOENT":
      return "the parent cannot hold directories";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

function failure(where: string, what: string, path: string, err: unknown): InvalidOptionsError {
  return new InvalidOptionsError(`${where}: cannot ${what} ${showText(path)}: ${reason(err)}; choose a directory you can write to`, { cause: err });
}

/** Makes `dir` and any missing parents, one level at a time; throws `InvalidOptionsError` when it cannot. */
export async function ensureDirectory(where: string, dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; ) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(d)).isDirectory();
    } catch (err) {
      const parent = dirname(d);
      if ((err as { code?: unknown }).code !== "ENOENT" || parent === d) throw failure(where, "use the directory", dir, err);
      missing.push(d);
      d = parent;
      continue;
    }
    if (!isDirectory) throw new InvalidOptionsError(`${where}: ${showText(d)} is not a directory; choose a directory you can write to`);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as { code?: unknown }).code === "EEXIST" && (await stat(d).catch(() => null))?.isDirectory() === true) continue;
      throw failure(where, "create the directory", d, err);
    }
  }
}

/**
 * Makes sure files can be written into `dir` before any work that would write there: creates
 * it (and its parents) and writes and removes a probe file. Throws `InvalidOptionsError`.
 */
export async function prepareDirectory(where: string, dir: string): Promise<void> {
  await ensureDirectory(where, dir);
  const probe = join(dir, `.zmq-interleave-probe-${randomUUID()}`);
  try {
    await writeFile(probe, "");
  } catch (err) {
    throw failure(where, "write into", dir, err);
  }
  await rm(probe, { force: true });
}
