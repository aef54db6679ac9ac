/**
 * The kit suites measure compiled code: their children import the kit built into dist/ and
 * run under plain node. `ensureBuilt` runs `npm run build` when dist/ is missing or older
 * than src/ or the compiler configuration, so a bench run never measures a stale build.
 * `snapshotDist` freezes that build for the run: other people rebuild dist/ in a shared
 * checkout, and a 30-minute run must measure one build, the one its results name.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { BenchError } from "../rig/errors.js";
import { srcVersion } from "./version.js";

/** A file and when it last changed. */
export interface Stamped {
  /** relative to its tree (src/ or dist/), with "/" separators */
  readonly path: string;
  readonly mtimeMs: number;
}

/** What decides whether dist/ is fresh. */
export interface BuildState {
  /** src/**\/*.ts without declarations */
  readonly sources: readonly Stamped[];
  /** tsconfig.json, tsconfig.build.json */
  readonly configs: readonly Stamped[];
  /** dist/**\/*.js */
  readonly outputs: readonly Stamped[];
}

/** Why dist/ must be rebuilt, or `undefined` when every source has an output at least as new. */
export function staleReason(state: BuildState): string | undefined {
  const outputs = new Map(state.outputs.map((o) => [o.path, o.mtimeMs] as const));
  if (state.sources.length === 0) return undefined;
  for (const source of state.sources) {
    const output = source.path.replace(/\.ts$/, ".js");
    const built = outputs.get(output);
    if (built === undefined) return `dist/${output} is missing`;
    if (built < source.mtimeMs) return `src/${source.path} changed after the last build`;
  }
  const oldest = Math.min(...state.sources.map((s) => outputs.get(s.path.replace(/\.ts$/, ".js")) ?? 0));
  const config = state.configs.find((c) => c.mtimeMs > oldest);
  return config === undefined ? undefined : `${config.path} changed after the last build`;
}

function walk(root: string, keep: (name: string) => boolean): Stamped[] {
  let entries;
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => {
      const full = join(e.parentPath, e.name);
      return { path: relative(root, full).split("\\").join("/"), mtimeMs: statSync(full).mtimeMs };
    });
}

/** Reads the state of `root`'s src/, dist/ and compiler configuration. */
export function readBuildState(root: string): BuildState {
  const configs = ["tsconfig.json", "tsconfig.build.json"].flatMap((name) => {
    try {
      return [{ path: name, mtimeMs: statSync(join(root, name)).mtimeMs }];
    } catch {
      return [];
    }
  });
  return {
    sources: walk(join(root, "src"), (n) => n.endsWith(".ts") && !n.endsWith(".d.ts")),
    configs,
    outputs: walk(join(root, "dist"), (n) => n.endsWith(".js")),
  };
}

/** Builds dist/ with `npm run build` if it is stale; says why on `log`. Throws BAD_SUITE if the build fails. */
export async function ensureBuilt(root: string, log: (line: string) => void): Promise<void> {
  const reason = staleReason(readBuildState(root));
  if (reason === undefined) return;
  log(`Building dist/ for the kit suites (${reason}): npm run build`);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile("npm", ["run", "build"], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve();
      const tail = `${stdout}\n${stderr}`.trim().split("\n").filter((l) => l.trim() !== "").slice(-6).join("\n  ");
      reject(new BenchError("BAD_SUITE", `npm run build failed, so the kit suites cannot measure dist/; fix the build or run the other suites (--suite):\n  ${tail}`, { cause: err }));
    });
  });
  log(`Built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

/** Where snapshots live: under node_modules, so the kit's own imports (zeromq, fast-check) resolve from them. */
export function snapshotsDir(root: string): string {
  return join(root, "node_modules", ".cache", "zmq-interleave-bench");
}

const dayMs = 24 * 3600 * 1000;

/**
 * Copies dist/'s JavaScript into a directory named after its content (so identical builds
 * share one, and a snapshot never changes once complete), with a package.json that makes it
 * ES modules; removes snapshots unused for a day. Returns the snapshot's directory.
 */
export function snapshotDist(root: string): string {
  const dist = join(root, "dist");
  const files = walk(dist, (n) => n.endsWith(".js")).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.length === 0) throw new BenchError("BAD_SUITE", "dist/ has no JavaScript to measure; run npm run build");
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.path}\0`).update(readFileSync(join(dist, f.path))).update("\0");
  const base = snapshotsDir(root);
  const dir = join(base, `dist-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(join(dir, ".complete"))) {
    const temp = `${dir}.${process.pid}.partial`;
    rmSync(temp, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(temp, f.path)), { recursive: true });
      copyFileSync(join(dist, f.path), join(temp, f.path));
    }
    writeFileSync(join(temp, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
    writeFileSync(join(temp, ".complete"), "");
    try {
      renameSync(temp, dir);
    } catch {
      rmSync(temp, { recursive: true, force: true }); // another bench run made the same snapshot
    }
  }
  const now = Date.now();
  writeFileSync(join(dir, ".complete"), ""); // marks it used now
  const lastUsed = (path: string): number => {
    try {
      return statSync(join(path, ".complete")).mtimeMs;
    } catch {
      return statSync(path).mtimeMs;
    }
  };
  for (const entry of readdirSync(base)) {
    const other = join(base, entry);
    if (other !== dir && now - lastUsed(other) > dayMs) rmSync(other, { recursive: true, force: true });
  }
  return dir;
}

/**
 * The compiled kit one bench run measures: `prepare` builds dist/ if stale, records which
 * code it holds (commit, uncommitted src/ changes) and freezes it (`snapshotDist`); every run
 * of the suite imports that snapshot and its notes name it.
 */
export class KitBuild {
  private readonly root: string;
  private version: string | undefined;
  private snapshot: string | undefined;

  constructor(root: string) {
    this.root = root;
  }

  /** For `Suite.prepare`. */
  async prepare(log: (line: string) => void): Promise<void> {
    await ensureBuilt(this.root, log);
    this.version = srcVersion(this.root);
    this.snapshot = snapshotDist(this.root);
  }

  /** The directory the children import the kit from: the snapshot, or dist/ itself if `prepare` did not run. */
  get distDir(): string {
    return this.snapshot ?? join(this.root, "dist");
  }

  /** `src`: the code measured. */
  notes(): Record<string, string> {
    if (this.version === undefined) return { src: `${srcVersion(this.root)} (dist/ as found at run time: not prepared)` };
    return { src: this.version };
  }
}
