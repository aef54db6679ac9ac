/**
 * The kit suites measure compiled code: their children import the kit from dist/ and run
 * under plain node. `ensureBuilt` runs `npm run build` when dist/ is missing or older than
 * src/ or the compiler configuration, so a bench run never measures a stale build.
 */
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
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

/** Changes whenever dist/ is rebuilt: the number of outputs and the newest one's time. */
export function distFingerprint(state: BuildState): string {
  return `${state.outputs.length}:${Math.max(0, ...state.outputs.map((o) => o.mtimeMs))}`;
}

/**
 * The compiled kit one bench run measures: `prepare` builds dist/ if stale and records which
 * code it holds (commit, uncommitted src/ changes); `notes` gives every run that record, and
 * says so if dist/ changed after the bench run started (someone rebuilt it from other code).
 */
export class KitBuild {
  private readonly root: string;
  private version: string | undefined;
  private fingerprint: string | undefined;

  constructor(root: string) {
    this.root = root;
  }

  /** For `Suite.prepare`. */
  async prepare(log: (line: string) => void): Promise<void> {
    await ensureBuilt(this.root, log);
    this.version = srcVersion(this.root);
    this.fingerprint = distFingerprint(readBuildState(this.root));
  }

  /** `src`: the code measured; `dist`: only when dist/ changed since `prepare`. */
  notes(): Record<string, string> {
    if (this.version === undefined) return { src: `${srcVersion(this.root)} (dist/ not prepared: as found at run time)` };
    if (distFingerprint(readBuildState(this.root)) === this.fingerprint) return { src: this.version };
    return { src: this.version, dist: "dist/ changed after the bench run started (rebuilt from other code?): this run may have measured that code" };
  }
}
