import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./child/unobserved-main.ts", import.meta.url));

function child(mode: string, ...nodeFlags: string[]) {
  return spawnSync(process.execPath, [...nodeFlags, "--import", "tsx", main, mode], { encoding: "utf8", timeout: 30_000 });
}

describe("guard: unobserved rejections in a process of its own (Node's default ends it)", () => {
  it("a fire-and-forget receive closed under ends the process with the typed error in place of Node's", () => {
    const r = child("kit");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("OwnershipError: [unobserved-rejection] main/t0's close() on pull1 rejects main/t0's void receive() (step 0) with EAGAIN");
    expect(r.stderr).toMatch(/\[cause\]: Error: Operation was not possible or timed out/);
    expect(r.stdout).not.toContain("survived");
  }, 40_000);

  it("a rejection that is not the kit's ends the process as it would without the guard", () => {
    const r = child("foreign");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Error: not the kit's");
    expect(r.stderr).not.toContain("OwnershipError");
    expect(r.stdout).not.toContain("survived");
  }, 40_000);

  it("with --unhandled-rejections=warn, a rejection that is not the kit's only warns, as Node does", () => {
    const r = child("foreign", "--unhandled-rejections=warn");
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("not the kit's");
    expect(r.stdout).toContain("survived; violations: none");
  }, 40_000);

  it("with a handler of the user's, the process lives and the handler gets the typed error", () => {
    const r = child("handled");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("handler got OwnershipError unobserved-rejection");
    expect(r.stdout).toContain("survived; violations: unobserved-rejection");
  }, 40_000);
});
