import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { snapshotDist, snapshotsDir, staleReason } from "../../bench/kit/build.js";

const configs = [{ path: "tsconfig.json", mtimeMs: 100 }];

describe("kit suites: is dist/ stale?", () => {
  it("is fresh when every source has an output at least as new", () => {
    expect(
      staleReason({
        sources: [{ path: "index.ts", mtimeMs: 200 }, { path: "model/check.ts", mtimeMs: 300 }],
        configs,
        outputs: [{ path: "index.js", mtimeMs: 400 }, { path: "model/check.js", mtimeMs: 400 }, { path: "old/gone.js", mtimeMs: 1 }],
      }),
    ).toBeUndefined();
  });

  it("names a missing output, a source changed after the build, or a changed configuration", () => {
    expect(staleReason({ sources: [{ path: "model/check.ts", mtimeMs: 1 }], configs, outputs: [] })).toBe("dist/model/check.js is missing");
    expect(
      staleReason({ sources: [{ path: "model/check.ts", mtimeMs: 500 }], configs, outputs: [{ path: "model/check.js", mtimeMs: 400 }] }),
    ).toBe("src/model/check.ts changed after the last build");
    expect(
      staleReason({ sources: [{ path: "index.ts", mtimeMs: 1 }], configs: [{ path: "tsconfig.build.json", mtimeMs: 900 }], outputs: [{ path: "index.js", mtimeMs: 400 }] }),
    ).toBe("tsconfig.build.json changed after the last build");
  });
});

describe("kit suites: the run's snapshot of dist/", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });
  const root = (): string => {
    const r = mkdtempSync(join(tmpdir(), "zi-kit-build-"));
    roots.push(r);
    mkdirSync(join(r, "dist", "model"), { recursive: true });
    writeFileSync(join(r, "dist", "index.js"), "export const a = 1;\n");
    writeFileSync(join(r, "dist", "model", "check.js"), "export const b = 2;\n");
    writeFileSync(join(r, "dist", "index.d.ts"), "export declare const a: 1;\n");
    return r;
  };

  it("copies the JavaScript as ES modules under node_modules, named by content", () => {
    const r = root();
    const dir = snapshotDist(r);
    expect(dir.startsWith(snapshotsDir(r))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([".complete", "index.js", "model", "package.json"]);
    expect(readFileSync(join(dir, "model", "check.js"), "utf8")).toBe("export const b = 2;\n");
    expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))).toMatchObject({ type: "module" });
    expect(snapshotDist(r)).toBe(dir);
  });

  it("keeps a snapshot as it was when dist/ is rebuilt: the new build gets its own", () => {
    const r = root();
    const first = snapshotDist(r);
    writeFileSync(join(r, "dist", "model", "check.js"), "export const b = 3;\n");
    const second = snapshotDist(r);
    expect(second).not.toBe(first);
    expect(readFileSync(join(first, "model", "check.js"), "utf8")).toBe("export const b = 2;\n");
    expect(readFileSync(join(second, "model", "check.js"), "utf8")).toBe("export const b = 3;\n");
  });
});
