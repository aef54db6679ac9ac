import { showValue } from "../input/show.js";
import { writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { InvalidOptionsError } from "../errors.js";
import { ensureDirectory } from "./directory.js";
import { checkTimelineInput, SVG_OPTION_KEYS, svgOptions, TEXT_OPTION_KEYS, textOptions } from "./inputs.js";
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
  if (typeof path !== "string" || path === "") throw new InvalidOptionsError(`writeTimeline: the path must be a file name ending in .html, .svg or .txt, got ${showValue(path)}`);
  const format = timelineFormatFor(path);
  if (format === null) {
    throw new InvalidOptionsError(`writeTimeline: cannot tell the format of ${showValue(path)}; end the path with .html, .svg or .txt`);
  }
  textOptions("writeTimeline", options, SVG_OPTION_KEYS);
  const o = svgOptions("writeTimeline", options, TEXT_OPTION_KEYS);
  checkTimelineInput("writeTimeline", input);
  const content = format === "html" ? renderTimelineHtml(input, o) : format === "svg" ? renderTimelineSvg(input, o) : `${renderTimeline(input, o)}\n`;
  await ensureDirectory("writeTimeline", dirname(path));
  try {
    await writeFile(path, content, "utf8");
  } catch (err) {
    throw new InvalidOptionsError(`writeTimeline: cannot write ${showValue(path)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return format;
}
