import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { InvalidOptionsError } from "../errors.js";
import { renderTimelineHtml, renderTimelineSvg, type SvgTimelineOptions } from "./svg.js";
import { renderTimeline, type TextTimelineOptions } from "./text.js";
import type { TimelineInput } from "./timeline.js";

/** The file formats `writeTimeline` picks from a path's extension. */
export type TimelineFileFormat = "html" | "svg" | "text";

/** Options of `writeTimeline`: those of whichever renderer the extension picks. */
export type WriteTimelineOptions = SvgTimelineOptions & TextTimelineOptions;

/** The format for `path`: `.html`/`.htm` HTML, `.svg` SVG, `.txt` text; `null` for anything else. */
export function timelineFormatFor(path: string): TimelineFileFormat | null {
  switch (extname(path).toLowerCase()) {
    case ".html":
    case ".htm":
      return "html";
    case ".svg":
      return "svg";
    case ".txt":
      return "text";
    default:
      return null;
  }
}

/**
 * Writes the timeline of a run to `path`, as HTML, SVG or text by its extension (creating
 * missing directories), and returns the format written. Throws `InvalidOptionsError` for
 * another extension.
 */
export async function writeTimeline(path: string, input: TimelineInput, options: WriteTimelineOptions = {}): Promise<TimelineFileFormat> {
  const format = timelineFormatFor(path);
  if (format === null) {
    throw new InvalidOptionsError(`writeTimeline: cannot tell the format of ${JSON.stringify(path)}; end the path with .html, .svg or .txt`);
  }
  const content = format === "html" ? renderTimelineHtml(input, options) : format === "svg" ? renderTimelineSvg(input, options) : `${renderTimeline(input, options)}\n`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, "utf8");
  return format;
}
