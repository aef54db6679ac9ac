import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./child/teardown-main.ts", import.meta.url));

function child(mode: string) {
  return spawnSync(process.execPath, ["--import", "tsx", main, mode], { encoding: "utf8", timeout: 30_000 });
}

describe("guard: teardown-while-pending (in a child process, since the real abort kills it)", () => {
  it("guardedExit refuses to end a worker with a pending receive; after close the worker exits cleanly", () => {
    const r = child("guarded");
    expect(r.stdout).toMatch(/refused teardown-while-pending: \[teardown-while-pending\] worker thread w(\d+) exited \(w\1\/t0\) while w\1\/t0's receive\(\) \(step 0\) on wpull was pending/);
    expect(r.stdout).toContain("worker exited 0");
    expect(r.status).toBe(0);
  }, 40_000);

  it("installTeardownCheck names the socket in the process's last words before zeromq.js aborts it (exit 134)", () => {
    const r = child("hook");
    expect(r.stderr).toMatch(/\[teardown-while-pending\] worker thread w\d+ exited/);
    expect(r.stderr).toMatch(/wpull was created by w\d+\/t0 at .*teardown-worker\.ts:\d+:\d+/);
    expect(r.stderr).toContain("zeromq.js aborts the whole process with exit code 134");
    expect(r.status === 134 || r.signal === "SIGABRT").toBe(true);
  }, 40_000);
});
