import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving } from "../../src/model/check.js";
import type { ExploreOptions, Finding, ZooEntry } from "../../src/zoo/entry.js";
import { size } from "../../src/zoo/size.js";

/** Collects what the CLI writes. */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
    get stdout(): string {
      return out.join("");
    },
    get stderr(): string {
      return err.join("");
    },
  };
}

const STUCK = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | schedule");

/** A fake entry: `outcome` decides what its exploration finds; every call is recorded. */
function fake(name: string, outcome: "found" | "not-found" | "other-label", calls: ExploreOptions[] = []): ZooEntry {
  return {
    kind: "scenario",
    name,
    story: `the ${name} story`,
    link: `https://example.invalid/${name}`,
    finds: "the fake way",
    expected: ["stuck"],
    minimum: [size(1, 1, 1, 1)],
    shape: "one receive nothing answers",
    defaultRuns: 7,
    async explore(o: ExploreOptions): Promise<Finding> {
      calls.push(o);
      if (outcome === "not-found") return { kind: "not-found", name, seed: o.seed, runs: o.runs ?? 7, reason: "passed" };
      const r = checkInterleaving(STUCK);
      const label = outcome === "found" ? "stuck" : "busy-recv";
      return {
        kind: "found",
        name,
        label,
        expected: outcome === "found",
        seed: o.seed,
        path: "0",
        runs: 3,
        shrinks: 1,
        size: size(1, 1, 1, 1),
        minimal: true,
        text: `TIMELINE OF ${name}\nreplay: verdict=${label}`,
        timeline: { interleaving: STUCK, history: r.history, verdict: r.verdict },
        consequence: null,
      };
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("npm start (main)", () => {
  it("--help prints the usage and every scenario name, exit 0", async () => {
    const c = capture();
    const zoo = [fake("alpha", "found"), fake("beta", "found")];
    expect(await main(["--help"], c.io, { zoo })).toBe(0);
    expect(c.stdout).toContain("usage: zmq-interleave [--runs N] [--seed S]");
    expect(c.stdout).toContain("scenarios: alpha, beta");
    expect(c.stderr).toBe("");
  });

  it("a bad flag: a clear message on stderr, nothing explored, exit 2, no stack trace", async () => {
    for (const argv of [["--runs"], ["--runs", "-1"], ["--frobnicate"], ["--seed", "x"]]) {
      const c = capture();
      const calls: ExploreOptions[] = [];
      expect(await main(argv, c.io, { zoo: [fake("alpha", "found", calls)] })).toBe(2);
      expect(c.stderr).toMatch(/^zmq-interleave: .+\n\(see zmq-interleave --help\)\n$/);
      expect(c.stderr).not.toMatch(/\n\s+at /);
      expect(c.stdout).toBe("");
      expect(calls).toEqual([]);
    }
  });

  it("an unknown --scenario lists the valid names, exit 2", async () => {
    const c = capture();
    expect(await main(["--scenario", "gamma"], c.io, { zoo: [fake("alpha", "found"), fake("beta", "found")] })).toBe(2);
    expect(c.stderr).toContain('unknown scenario "gamma"; the zoo has: alpha, beta');
  });

  it("--scenario explores only the named entries (repeated or comma list); --seed and --runs reach them", async () => {
    const calls = { alpha: [] as ExploreOptions[], beta: [] as ExploreOptions[], gamma: [] as ExploreOptions[] };
    const zoo = [fake("alpha", "found", calls.alpha), fake("beta", "found", calls.beta), fake("gamma", "found", calls.gamma)];
    const c = capture();
    expect(await main(["--scenario", "gamma", "--scenario=alpha", "--seed", "42", "--runs", "9"], c.io, { zoo })).toBe(0);
    expect(calls.alpha).toEqual([{ seed: 42, runs: 9, consequence: true }]);
    expect(calls.gamma).toEqual([{ seed: 42, runs: 9, consequence: true }]);
    expect(calls.beta).toEqual([]);
    expect(c.stdout).toContain("[1/2] alpha: found stuck after 3 runs");
    expect(c.stdout).toContain("[2/2] gamma: found stuck after 3 runs");
    expect(c.stdout).not.toContain("beta");
  });

  it("prints a progress line per entry, then the summary table, then each counterexample's timeline and replay line", async () => {
    const c = capture();
    expect(await main([], c.io, { zoo: [fake("alpha", "found"), fake("beta", "found")], randomSeed: () => 1234 })).toBe(0);
    const out = c.stdout;
    expect(out).toContain("seed 1234 (repeat with --seed 1234)");
    const order = ["[1/2] alpha", "[2/2] beta", "Summary (seed 1234", "scenario  verdict", "━━━ 1. alpha: stuck ━━━", "TIMELINE OF alpha", "━━━ 2. beta: stuck ━━━", "Every bug was found (2/2)."].map((s) => out.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/alpha\s+stuck\s+7\s+3 runs\s+1 actor, 1 socket, 1 op, 0 preemptions\s+yes\s+\d+ ms/);
    expect(out).toContain("replay: verdict=stuck");
  });

  it("exit 1 when a bug is not found (or found as something else), with a message naming it", async () => {
    const c = capture();
    const zoo = [fake("alpha", "found"), fake("beta", "not-found"), fake("gamma", "other-label")];
    expect(await main([], c.io, { zoo, randomSeed: () => 5 })).toBe(1);
    expect(c.stdout).toMatch(/beta\s+NOT FOUND/);
    expect(c.stderr).toContain("2 of 3 bugs not found: beta (no failure in 7 runs); gamma (found busy-recv, expected stuck)");
    expect(c.stderr).toContain("Try more runs (--runs N) or another seed (--seed S).");
  });

  it("--timeline-out writes an HTML and an SVG timeline per found entry and links them from the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zi-cli-"));
    dirs.push(dir);
    const out = join(dir, "timelines");
    const c = capture();
    expect(await main(["--timeline-out", out], c.io, { zoo: [fake("alpha", "found"), fake("beta", "not-found")], randomSeed: () => 1 })).toBe(1);
    const html = join(out, "alpha.html");
    const svg = join(out, "alpha.svg");
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/i);
    expect(readFileSync(svg, "utf8")).toContain("<svg");
    expect(existsSync(join(out, "beta.html"))).toBe(false);
    expect(c.stdout).toMatch(new RegExp(`alpha\\s+stuck.*${html.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
    expect(c.stdout).toContain(`timeline files: ${html}, ${svg}`);
  });

  it("a timeline directory that cannot be written is reported in words before anything is explored, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zi-cli-"));
    dirs.push(dir);
    const c = capture();
    // A file where the directory should be.
    const blocked = join(dir, "file");
    await import("node:fs/promises").then((fs) => fs.writeFile(blocked, "x"));
    const calls: ExploreOptions[] = [];
    expect(await main(["--timeline-out", join(blocked, "sub")], c.io, { zoo: [fake("alpha", "found", calls)], randomSeed: () => 1 })).toBe(2);
    expect(c.stderr).toMatch(/^zmq-interleave: --timeline-out: cannot use the directory .*: a part of the path is a file, not a directory/);
    expect(calls).toEqual([]);
    expect(c.stdout).toBe("");
    const file = capture();
    expect(await main(["--timeline-out", blocked], file.io, { zoo: [fake("alpha", "found", calls)], randomSeed: () => 1 })).toBe(2);
    expect(file.stderr).toMatch(/^zmq-interleave: --timeline-out: ".*file" is not a directory/);
    expect(calls).toEqual([]);
    expect(c.stderr).not.toMatch(/\n\s+at /);
  });

  it("the real zoo: a hard entry with a tiny --runs is not found, exit 1", async () => {
    const c = capture();
    expect(await main(["--scenario", "terminate-pending-receive", "--runs", "1", "--seed", "1"], c.io)).toBe(1);
    expect(c.stdout).toContain("[1/1] terminate-pending-receive: not found in 1 run");
    expect(c.stderr).toContain("1 of 1 bugs not found: terminate-pending-receive (no failure in 1 runs)");
  });

  it("the real zoo: one user-code entry is found, shrunk and printed, exit 0", async () => {
    const c = capture();
    expect(await main(["--scenario", "drain-while-receiving", "--seed", "1"], c.io)).toBe(0);
    expect(c.stdout).toMatch(/drain-while-receiving\s+lost-wakeup\s+100\s+1 run\s+2 tasks, 1 socket, 2 ops, 0 choices\s+yes/);
    expect(c.stdout).toContain("✗ lost-wakeup: pull1.readable");
    expect(c.stdout).toContain("replay: verdict=lost-wakeup schedule=[]");
  });
});

describe("--replay", () => {
  const line = 'replay: seed=1 path="0" verdict=teardown-while-pending interleaving="zi1 thread inproc | s1 pull w1/t0 bind e0 | w1/t0: recv s1 | w1/t1: exit | schedule"';

  it("replays a line through the model (timeline) and on real sockets in a child process; exit 0 when reproduced", async () => {
    const c = capture();
    expect(await main(["--replay", line], c.io)).toBe(0);
    expect(c.stdout).toContain("✗ teardown-while-pending at step 1 by w1/t1");
    expect(c.stdout).toContain("model: reproduced (teardown-while-pending)");
    expect(c.stdout).toMatch(/real run \(unguarded, child process\): teardown-while-pending: the process crashed \(SIGABRT/);
    expect(c.stderr).toBe("");
  }, 30_000);

  it("exit 1 when the model ends otherwise than the line says", async () => {
    const c = capture();
    const other = 'replay: verdict=busy-recv interleaving="zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 | main/t0: send s1 \\"x\\", recv s0 | schedule"';
    expect(await main(["--replay", other], c.io)).toBe(1);
    expect(c.stdout).toContain("model: different: expected busy-recv, got ok");
  }, 30_000);

  it("a line from user code, or one that does not read, is a usage error (exit 2) that says what to do", async () => {
    const user = capture();
    expect(await main(["--replay", "replay: verdict=busy-recv schedule=[0,1]"], user.io)).toBe(2);
    expect(user.stderr).toContain("this replay line comes from user code (schedule=[...])");
    const bad = capture();
    expect(await main(["--replay", "zi1 thread inproc | s0 bogus main/t0 bind e0 | schedule"], bad.io)).toBe(2);
    expect(bad.stderr).toMatch(/^zmq-interleave: the interleaving does not validate/);
    const mixed = capture();
    expect(await main(["--replay", line, "--seed", "3"], mixed.io)).toBe(2);
    expect(mixed.stderr).toContain("--replay runs one line on its own");
  });
});

describe("src/cli/bin.ts run as a program", () => {
  const script = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));

  it("sets the exit status: 2 and a one-line message for a bad flag, 0 for --help", () => {
    const bad = spawnSync(process.execPath, ["--import", "tsx", script, "--runs", "many"], { encoding: "utf8", timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('zmq-interleave: --runs must be a whole number of at least 1, got "many"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const help = spawnSync(process.execPath, ["--import", "tsx", script, "--help"], { encoding: "utf8", timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("scenarios: two-handlers-one-pull, foreach-async-request");
  }, 40_000);
});
