/**
 * The TypeScript blocks of a markdown file, with what the README test does with each. A block
 * is run by default (type-checked, then executed); an HTML comment on the line before its
 * fence changes that:
 *
 *     <!-- readme-check: typecheck-only -->       type-checked, not run
 *     <!-- readme-check: vitest-fails busy-recv -->  a vitest file: type-checked, then run by
 *                                                  vitest, which must fail naming the rule
 */

/** What the README test does with a block. */
export type BlockCheck = { readonly kind: "run" } | { readonly kind: "typecheck-only" } | { readonly kind: "vitest-fails"; readonly rule: string };

/** One fenced TypeScript block. */
export interface Block {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  readonly check: BlockCheck;
}

const MARKER = /^<!--\s*readme-check:\s*(typecheck-only|vitest-fails\s+([a-z][a-z0-9-]*))\s*-->$/;

/** Every ```ts block of `markdown`, in order. Throws for a marker it cannot read or an unclosed fence. */
export function typescriptBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] ?? "");
    if (fence === null) continue;
    const end = lines.findIndex((l, k) => k > i && l.startsWith("```"));
    if (end < 0) throw new Error(`line ${i + 1}: a code fence that is never closed`);
    if (fence[1] === "ts" || fence[1] === "typescript") {
      const before = (lines[i - 1] ?? "").trim();
      let check: BlockCheck = { kind: "run" };
      if (before.startsWith("<!-- readme-check")) {
        const m = MARKER.exec(before);
        if (m === null) throw new Error(`line ${i}: unreadable marker ${before}`);
        check = m[2] === undefined ? { kind: "typecheck-only" } : { kind: "vitest-fails", rule: m[2] };
      }
      blocks.push({ line: i + 1, code: `${lines.slice(i + 1, end).join("\n")}\n`, check });
    }
    i = end;
  }
  return blocks;
}
