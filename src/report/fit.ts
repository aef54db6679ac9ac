/**
 * Fitting text into columns: truncation with an ellipsis and word wrapping. Widths count
 * code points, so a truncated string never splits a surrogate pair.
 */

/** The ellipsis glyphs: `…` (one column) in Unicode mode, `...` in plain ASCII. */
export function ellipsis(ascii: boolean): string {
  return ascii ? "..." : "…";
}

/** Width of `text` in code points (what a monospace terminal shows for ordinary text). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to at most `width` code points; a cut string ends with the ellipsis. */
export function truncate(text: string, width: number, ascii = false): string {
  const points = Array.from(text);
  if (points.length <= width) return text;
  const tail = ellipsis(ascii);
  const keep = Math.max(0, width - textWidth(tail));
  return points.slice(0, keep).join("") + tail.slice(0, Math.max(0, width - keep));
}

/** `text` padded with spaces on the right to `width` code points (never cut). */
export function padEnd(text: string, width: number): string {
  const w = textWidth(text);
  return w >= width ? text : text + " ".repeat(width - w);
}

/**
 * Splits `text` into lines of at most `width` code points, breaking at spaces; a word longer
 * than a line is cut hard. `width` below 1 is treated as 1.
 */
export function wrapWords(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    let rest = word;
    while (textWidth(rest) > limit) {
      if (line !== "") {
        lines.push(line);
        line = "";
      }
      const points = Array.from(rest);
      lines.push(points.slice(0, limit).join(""));
      rest = points.slice(limit).join("");
    }
    if (rest === "") continue;
    if (line === "") line = rest;
    else if (textWidth(line) + 1 + textWidth(rest) <= limit) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/** Joins `items` with `sep`, starting a new line where the next item would pass `width` (an item is never split). */
export function wrapItems(items: readonly string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const item of items) {
    if (cur === "") cur = item;
    else if (textWidth(cur) + textWidth(sep) + textWidth(item) <= width) cur += sep + item;
    else {
      lines.push(cur);
      cur = item;
    }
  }
  lines.push(cur);
  return lines;
}
