import { describe, expect, it } from "vitest";
import { renderChart, niceTicks } from "../../bench/rig/chart.js";
import { formatSummary, formatValue, markdownTable } from "../../bench/rig/format.js";
import { spliceGenerated } from "../../bench/rig/readme.js";

const readme = ["# x", "", "## Benchmarks", "", "<!-- bench:start -->", "How to run.", "", "Conclusions.", "<!-- bench:end -->", "", "## After"].join("\n");

describe("README section", () => {
  it("adds the generated block inside the bench section and keeps the text around it", () => {
    const once = spliceGenerated(readme, "TABLE 1");
    expect(once).toContain("<!-- bench:generated:start -->\nTABLE 1\n<!-- bench:generated:end -->");
    expect(once).toContain("How to run.");
    expect(once).toContain("Conclusions.");
    expect(once.indexOf("TABLE 1")).toBeLessThan(once.indexOf("<!-- bench:end -->"));
    expect(once.endsWith("## After")).toBe(true);
  });

  it("replaces the block on the next run instead of adding another", () => {
    const twice = spliceGenerated(spliceGenerated(readme, "TABLE 1"), "TABLE 2");
    expect(twice).not.toContain("TABLE 1");
    expect(twice.split("bench:generated:start").length).toBe(2);
    expect(spliceGenerated(twice, "TABLE 2")).toBe(twice);
  });

  it("refuses a README without the section", () => {
    expect(() => spliceGenerated("# nothing here", "x")).toThrow(/bench:start/);
  });
});

describe("formatting and chart", () => {
  it("formats rates, ratios, durations and summaries", () => {
    expect(formatValue(271_234, "rate")).toBe("271k");
    expect(formatValue(4_500, "rate")).toBe("4.5k");
    expect(formatValue(0.9749, "ratio")).toBe("0.97");
    expect(formatValue(31.26, "ms")).toBe("31.3 ms");
    expect(formatSummary({ n: 5, median: 0.97, q1: 0.95, q3: 0.99, min: 0.9, max: 1 }, "ratio")).toBe("0.97 [0.95–0.99]");
    expect(markdownTable(["a", "b"], [["1", "x|y"]])).toBe("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
  });

  it("picks about five 1-2-5 ticks covering the maximum", () => {
    expect(niceTicks(280_000)).toEqual([0, 100_000, 200_000, 300_000]);
    expect(niceTicks(1.12)).toEqual([0, 0.5, 1, 1.5]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it("renders every panel kind into one escaped SVG document", () => {
    const svg = renderChart("T <1>", "sub", [
      { kind: "bars", title: "bars & co", width: "half", format: "rate", series: [{ name: "A", color: "#000" }], groups: [{ label: "16 B", values: [{ n: 5, median: 2e5, q1: 1.9e5, q3: 2.1e5, min: 1e5, max: 3e5 }] }] },
      { kind: "grid", title: "grid", columnGroups: [{ label: "g", span: 1 }], columns: ["c"], rows: [{ kind: "section", label: "s" }, { kind: "row", label: "r", cells: [{ text: "12 ms\n100%", tone: "good" }] }], legend: [{ tone: "hang", label: "hang" }] },
      { kind: "note", title: "note", lines: ["one"] },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("T &lt;1&gt;");
    expect(svg).toContain("bars &amp; co");
    expect(svg).toContain("200k");
    expect(svg.split("<g ").length).toBe(svg.split("</g>").length);
  });
});
