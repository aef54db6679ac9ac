import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { typescriptBlocks, type Block } from "./blocks.js";

// The README cannot drift: every TypeScript block is type-checked against the kit's sources
// (as `zmq-interleave` and `zmq-interleave/vitest`), the short ones are run, and the user's
// test file runs under vitest and fails on the bug it shows. The blocks are written to a
// directory inside the repository, so node_modules and @types resolve as in a project.

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = typescriptBlocks(readme);
const dir = join(root, "test", "readme", `.tmp-${randomUUID()}`);

interface Ran {
  readonly code: number;
  readonly output: string;
}

function run(args: readonly string[], cwd: string, timeout: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function fileOf(b: Block, i: number): string {
  return b.check.kind === "vitest-fails" ? `block-${i}.test.ts` : `block-${i}.ts`;
}

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  const src = "../../../src/";
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    paths: { "zmq-interleave": [`${src}index.ts`], "zmq-interleave/vitest": [`${src}vitest/index.ts`] },
  };
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions, include: ["*.ts"] }, null, 2)}\n`);
  writeFileSync(
    join(dir, "vitest.config.ts"),
    [
      'import { defineConfig } from "vitest/config";',
      `const src = ${JSON.stringify(join(root, "src"))};`,
      "export default defineConfig({",
      '  resolve: { alias: [{ find: /^zmq-interleave\\/vitest$/, replacement: `${src}/vitest/index.ts` }, { find: /^zmq-interleave$/, replacement: `${src}/index.ts` }] },',
      '  test: { include: ["*.test.ts"], pool: "forks", testTimeout: 120_000 },',
      "});",
      "",
    ].join("\n"),
  );
  blocks.forEach((b, i) => writeFileSync(join(dir, fileOf(b, i)), b.code));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("README", () => {
  it("fits a terminal: at most 350 lines, none wider than 100 columns", () => {
    const lines = readme.split("\n");
    expect(lines.length).toBeLessThanOrEqual(350);
    const wide = lines.map((l, i) => [i + 1, Array.from(l).length, l] as const).filter(([, n]) => n > 100);
    expect(wide).toEqual([]);
  });

  it("has a table of contents whose links reach its headings, and relative links to files that exist", () => {
    const anchors = new Set(
      readme
        .split("\n")
        .filter((l) => /^#{2,3} /.test(l))
        .map((l) => l.replace(/^#+ /, "").toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-")),
    );
    const toc = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(toc.length).toBeGreaterThanOrEqual(6);
    for (const a of toc) expect(anchors, `#${a}`).toContain(a);
    const files = [...readme.matchAll(/\]\((?!https?:|#)([^)#]+)\)/g)].map((m) => m[1] ?? "");
    for (const f of files) expect(existsSync(join(root, f)), f).toBe(true);
  });

  it("shows install and the user's own vitest test on its first screen", () => {
    const first = readme.split("\n").slice(0, 60).join("\n");
    expect(first).toContain("npm install --save-dev zmq-interleave");
    expect(first).toContain("<!-- readme-check: vitest-fails");
  });

  it("has TypeScript blocks, one of them the user's test file", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((b) => b.check.kind === "vitest-fails")).toHaveLength(1);
  });

  it("every TypeScript block type-checks (strict, NodeNext) against the kit", async () => {
    const r = await run([join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], dir, 120_000);
    expect(r.output).toBe("");
    expect(r.code).toBe(0);
  }, 150_000);

  blocks.forEach((b, i) => {
    if (b.check.kind === "run") {
      it(`the block at line ${b.line} runs and exits 0`, async () => {
        const r = await run(["--import", "tsx", fileOf(b, i)], dir, 60_000);
        expect(r.output).not.toMatch(/Error/);
        expect(r.code).toBe(0);
      }, 90_000);
    }
    const check = b.check;
    if (check.kind === "vitest-fails") {
      it(`the user's test file (line ${b.line}) fails under vitest, naming ${check.rule}, with a replay line`, async () => {
        const r = await run([join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "vitest.config.ts"], dir, 150_000);
        expect(r.code).toBe(1);
        expect(r.output).toContain(`InterleavingFailure: ${check.rule}`);
        expect(r.output).toContain(`✗ ${check.rule} at step`);
        expect(r.output).toMatch(new RegExp(`replay: verdict=${check.rule} schedule=\\[`));
        expect(r.output).toMatch(/Tests {2}1 failed \(1\)/);
      }, 180_000);
    }
  });
});
