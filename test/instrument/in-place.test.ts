import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("instrumentInPlace (for runners without vi.mock)", () => {
  it("makes the zeromq package itself give guarded sockets to code imported afterwards", async () => {
    const script = fileURLToPath(new URL("./child/in-place.ts", import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", script], { timeout: 30_000 }, (err, stdout, stderr) => (err === null ? resolve(stdout) : reject(new Error(`${String(err)}\n${stderr}`))));
    });
    expect(JSON.parse(out.trim().split("\n").pop() ?? "{}")).toEqual({ kind: "failed", label: "busy-recv" });
  }, 40_000);
});
