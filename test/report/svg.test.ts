import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidOptionsError } from "../../src/errors.js";
import { renderTimelineHtml, renderTimelineSvg } from "../../src/report/svg.js";
import { renderTimeline } from "../../src/report/text.js";
import { timelineFormatFor, writeTimeline } from "../../src/report/write.js";
import { EXAMPLE_LABELS, EXAMPLES, modelRun } from "./fixtures.js";
import { unescapeXml, xmlProblems } from "./xml.js";

interface SvgRow {
  readonly kind: string;
  readonly step: string;
  readonly actor: string;
  readonly label: string;
  readonly note: string | null;
}

/** The event rows of an SVG timeline, from their data attributes. */
function svgRows(svg: string): SvgRow[] {
  const re = /<g class="row \w+" data-kind="(\w+)" data-step="([^"]*)" data-actor="([^"]*)" data-label="([^"]*)"(?: data-note="([^"]*)")?>/g;
  return [...svg.matchAll(re)].map((m) => ({
    kind: m[1] as string,
    step: m[2] as string,
    actor: unescapeXml(m[3] as string),
    label: unescapeXml(m[4] as string),
    note: m[5] === undefined ? null : unescapeXml(m[5]),
  }));
}

/** The text timeline's row lines and the column where each lane starts. */
function textRows(text: string): { rows: string[]; lanes: Map<string, number> } {
  const lines = text.split("\n");
  const head = lines.findIndex((l) => l.startsWith("step  "));
  const header = lines[head] ?? "";
  const lanes = new Map<string, number>();
  for (const m of header.slice(6).matchAll(/\S+/g)) lanes.set(m[0], 6 + (m.index ?? 0));
  const end = lines.findIndex((l, i) => i > head + 1 && /^(✓|✗|■|≠) /.test(l));
  return { rows: lines.slice(head + 2, end).filter((l) => !l.includes("never returned")), lanes };
}

describe("renderTimelineSvg", () => {
  it.each(EXAMPLE_LABELS.map((l) => [l]))("is well-formed XML for %s", (label) => {
    const svg = renderTimelineSvg({ ...modelRun(EXAMPLES[label]), seed: 7, path: "0:1" });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it.each(EXAMPLE_LABELS.map((l) => [l]))("shows the same event rows as the text timeline for %s", (label) => {
    const input = modelRun(EXAMPLES[label]);
    const svg = svgRows(renderTimelineSvg(input));
    const { rows, lanes } = textRows(renderTimeline(input, { width: 400 }));
    expect(svg.length).toBe(rows.length);
    const laneStarts = [...lanes.values()].sort((a, b) => a - b);
    svg.forEach((r, i) => {
      const line = rows[i] ?? "";
      const text = r.kind === "invoke" ? r.label : r.kind === "return" ? (r.note === null ? r.label : `${r.label} (${r.note})`) : `${r.note ?? ""}: ${r.label}`;
      const at = line.indexOf(text);
      expect(at, `row ${i} ${JSON.stringify(line)} should show ${JSON.stringify(text)}`).toBeGreaterThan(0);
      // The label is in the same actor's lane.
      const start = lanes.get(r.actor) ?? -1;
      const next = laneStarts.find((s) => s > start) ?? Infinity;
      expect(at).toBeGreaterThanOrEqual(start);
      expect(at).toBeLessThan(next);
      // A row that starts a new step shows the step number in both.
      const stepText = line.slice(0, 4).trim();
      if (stepText !== "") expect(stepText).toBe(r.step);
    });
  });

  it("marks the refused row with the rule, and carries the verdict sentence and the replay line", () => {
    const input = { ...modelRun(EXAMPLES["lost-wakeup"]), seed: -1234, path: "0:1:2" };
    const svg = renderTimelineSvg(input);
    const refused = svgRows(svg).filter((r) => r.kind === "refused");
    expect(refused).toEqual([{ kind: "refused", step: "1", actor: "main/t1", label: "s0.readable", note: "lost-wakeup" }]);
    expect(svg).toContain("lost-wakeup at step 1 by main/t1");
    expect(svg).toContain("reading the getter consumes the socket&apos;s edge-triggered wakeup");
    const replay = /data-replay="([^"]*)"/.exec(svg)?.[1];
    expect(unescapeXml(replay ?? "")).toBe(renderTimeline(input).split("\n").at(-1));
    expect(svg).toContain("never returned");
  });

  it("escapes payloads that look like markup", () => {
    const input = modelRun(`zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "<b>&amp;'x'</b>" | schedule`);
    const svg = renderTimelineSvg(input, { maxPayload: 40 });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svgRows(svg).map((r) => r.label)).toContain(`s1.send("<b>&amp;'x'</b>")`);
  });
});

describe("renderTimelineHtml", () => {
  it("is a self-contained page: inline SVG, no scripts, no external resources", () => {
    const html = renderTimelineHtml({ ...modelRun(EXAMPLES["busy-recv"]), seed: 3 });
    expect(html.startsWith("<!DOCTYPE html>\n<html")).toBe(true);
    expect(xmlProblems(html)).toEqual([]);
    expect(html).toContain("<svg ");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(/i);
    // The only URL is the SVG namespace.
    expect([...html.matchAll(/https?:\/\/[^"\s]+/g)].map((m) => m[0])).toEqual(["http://www.w3.org/2000/svg"]);
    expect(svgRows(html).map((r) => `${r.kind} ${r.actor} ${r.note ?? ""} ${r.label}`.replace(/\s+/g, " "))).toEqual([
      "invoke main/t0 s0.receive()",
      "refused main/t1 busy-recv s0.receive()",
    ]);
    expect(html).toContain('<p class="replay"><code>replay: seed=3 verdict=busy-recv interleaving=');
  });
});

describe("writeTimeline", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "zi-report-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("picks the format from the extension", () => {
    expect(timelineFormatFor("a/b.html")).toBe("html");
    expect(timelineFormatFor("B.HTM")).toBe("html");
    expect(timelineFormatFor("t.svg")).toBe("svg");
    expect(timelineFormatFor("t.txt")).toBe("text");
    expect(timelineFormatFor("t.png")).toBeNull();
    expect(timelineFormatFor("timeline")).toBeNull();
  });

  it("writes HTML, SVG and text files, creating directories", async () => {
    const input = modelRun(EXAMPLES.stuck);
    expect(await writeTimeline(join(dir, "deep", "t.html"), input)).toBe("html");
    expect(await writeTimeline(join(dir, "t.svg"), input)).toBe("svg");
    expect(await writeTimeline(join(dir, "t.txt"), input, { ascii: true })).toBe("text");
    expect(await readFile(join(dir, "deep", "t.html"), "utf8")).toBe(renderTimelineHtml(input));
    expect(await readFile(join(dir, "t.svg"), "utf8")).toBe(renderTimelineSvg(input));
    expect(await readFile(join(dir, "t.txt"), "utf8")).toBe(`${renderTimeline(input, { ascii: true })}\n`);
  });

  it("refuses an extension it cannot write, with a typed error", async () => {
    const input = modelRun(EXAMPLES.stuck);
    await expect(writeTimeline(join(dir, "t.png"), input)).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(writeTimeline(join(dir, "t.png"), input)).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
  });
});
