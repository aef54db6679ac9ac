import { describe, expect, it } from "vitest";
import { loadSuites, selectSuites } from "../../bench/rig/registry.js";
import { ordersFor, orderLabel, parseShutdownCase, shutdownCaseId } from "../../bench/shutdown/cases.js";
import { parseXpubConfig } from "../../bench/xpub/config.js";

describe("suite registry", () => {
  it("finds the xpub and shutdown suites first, each named after its file", async () => {
    const suites = await loadSuites();
    expect(suites.slice(0, 2).map((s) => s.name)).toEqual(["xpub", "shutdown"]);
    expect(selectSuites(suites, ["shutdown"]).map((s) => s.name)).toEqual(["shutdown"]);
    expect(() => selectSuites(suites, ["nope"])).toThrow(/known: xpub, shutdown/);
  });

  it("plans unique case ids, at least 5 runs per case in the full profile", async () => {
    for (const suite of await loadSuites()) {
      for (const profile of ["quick", "full"] as const) {
        const ids = suite.plan(profile).map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
      expect(suite.rounds("full")).toBeGreaterThanOrEqual(5);
    }
  });

  it("plans the full XPUB matrix: 3 sizes x 2 transports x 1 or 4 subscribers x churn on/off", async () => {
    const [xpub] = selectSuites(await loadSuites(), ["xpub"]);
    expect(xpub?.plan("full")).toHaveLength(24);
  });
});

describe("shutdown cases", () => {
  it("lists every close order on one thread, with sockets left open", () => {
    expect(ordersFor("main").map((o) => orderLabel({ order: o, placement: "main" }))).toEqual([
      "close pub → close sub",
      "close sub → close pub",
      "close pub (sub left open)",
      "close sub (pub left open)",
      "nothing closed",
    ]);
  });

  it("never closes a worker's socket after the worker ended", () => {
    for (const placement of ["sub-in-worker", "pub-in-worker"] as const) {
      const own = placement === "sub-in-worker" ? "close-sub" : "close-pub";
      for (const order of ordersFor(placement)) {
        expect(order).toContain("exit-worker");
        if (order.includes(own)) expect(order.indexOf(own)).toBeLessThan(order.indexOf("exit-worker"));
      }
    }
  });

  it("round-trips a case through the command line and gives it a stable id", () => {
    const c = { pair: "xpub-sub", placement: "main", order: ["close-pub"], linger: -1, pending: "xpub", messages: 10, size: 16, quietMs: 25 } as const;
    expect(parseShutdownCase(JSON.stringify(c))).toEqual(c);
    expect(shutdownCaseId(c)).toBe("xpub-sub/main/close-pub/linger=-1/pending=xpub");
    expect(() => parseShutdownCase(JSON.stringify({ ...c, order: ["explode"] }))).toThrow(/not a shutdown case/);
    expect(() => parseXpubConfig(JSON.stringify({ size: 0 }))).toThrow(/not an XPUB configuration/);
  });
});
