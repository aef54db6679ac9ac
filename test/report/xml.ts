/**
 * A small XML well-formedness checker for the SVG and HTML the report writes: one root,
 * balanced and properly nested tags, quoted and unique attributes, known entities only.
 * Returns the problems found (empty when well-formed).
 */
export function xmlProblems(doc: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  const entity = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;
  const checkText = (text: string, at: number): void => {
    for (let i = text.indexOf("&"); i >= 0; i = text.indexOf("&", i + 1)) {
      if (!entity.test(text.slice(i))) problems.push(`bad entity at ${at + i}: ${JSON.stringify(text.slice(i, i + 10))}`);
    }
  };
  if (doc.startsWith("<?xml")) {
    const end = doc.indexOf("?>");
    if (end < 0) return ["unterminated XML declaration"];
    pos = end + 2;
  }
  while (pos < doc.length) {
    const lt = doc.indexOf("<", pos);
    const text = doc.slice(pos, lt < 0 ? doc.length : lt);
    if (stack.length === 0 && text.trim() !== "") problems.push(`text outside the root at ${pos}`);
    checkText(text, pos);
    if (lt < 0) break;
    pos = lt;
    if (doc.startsWith("<!--", pos)) {
      const end = doc.indexOf("-->", pos);
      if (end < 0) return [...problems, `unterminated comment at ${pos}`];
      pos = end + 3;
      continue;
    }
    if (/^<!DOCTYPE /i.test(doc.slice(pos, pos + 10))) {
      if (roots > 0 || stack.length > 0) problems.push(`DOCTYPE after the root at ${pos}`);
      pos = doc.indexOf(">", pos) + 1;
      continue;
    }
    const close = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(doc.slice(pos));
    if (close !== null) {
      const open = stack.pop();
      if (open !== close[1]) problems.push(`</${close[1]}> at ${pos} closes <${open ?? "nothing"}>`);
      pos += close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(doc.slice(pos));
    if (tag === null) return [...problems, `malformed tag at ${pos}: ${JSON.stringify(doc.slice(pos, pos + 40))}`];
    const names = new Set<string>();
    for (const a of (tag[2] ?? "").matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*("[^"]*"|'[^']*')/g)) {
      const name = a[1] as string;
      if (names.has(name)) problems.push(`duplicate attribute ${name} at ${pos}`);
      names.add(name);
      checkText((a[2] as string).slice(1, -1), pos);
    }
    if (stack.length === 0) roots++;
    if (tag[3] !== "/") stack.push(tag[1] as string);
    pos += tag[0].length;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(" > ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** Decodes the five named entities and numeric references. */
export function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e] ?? "";
  });
}
