import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The public surface, on purpose: the names each entry point exports (values, then types).
// A change here is a change of the API; update the snapshot only when it is meant
// (npx vitest run test/surface -u) and say so in the commit.

const entries = { ".": "../../src/index.ts", "./vitest": "../../src/vitest/index.ts" } as const;

/** True for a name re-exported with `export type { ... }` or `export { type ... }`. */
function typeOnly(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
}

/** Every exported name of each entry, split by kind, from the compiler's view of the source. */
function surface(): Record<string, { values: string[]; types: string[] }> {
  const files = Object.values(entries).map((f) => fileURLToPath(new URL(f, import.meta.url)));
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out: Record<string, { values: string[]; types: string[] }> = {};
  for (const [name, rel] of Object.entries(entries)) {
    const file = program.getSourceFile(fileURLToPath(new URL(rel, import.meta.url)));
    const symbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (symbol === undefined) throw new Error(`no module symbol for ${rel}`);
    const values: string[] = [];
    const types: string[] = [];
    for (const e of checker.getExportsOfModule(symbol)) {
      const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
      const isValue = (target.flags & ts.SymbolFlags.Value) !== 0 && !typeOnly(e);
      (isValue ? values : types).push(e.name);
    }
    out[name] = { values: values.sort(), types: types.sort() };
  }
  return out;
}

describe("the public surface", () => {
  const names = surface();

  it("each entry point exports exactly the snapshotted names", () => {
    expect(names).toMatchSnapshot();
  });

  it("the value names the compiler sees are the ones the modules really export", async () => {
    const root: Record<string, unknown> = await import("../../src/index.js");
    const vitest: Record<string, unknown> = await import("../../src/vitest/index.js");
    expect(Object.keys(root).sort()).toEqual(names["."]?.values);
    expect(Object.keys(vitest).sort()).toEqual(names["./vitest"]?.values);
  });

  it("no internals in the root export", () => {
    const all = [...(names["."]?.values ?? []), ...(names["."]?.types ?? [])];
    for (const internal of ["Walker", "turnShadows", "shadowCheck", "RACED_AHEAD", "Observations", "INSTRUMENTATION_KEY", "canonicalize", "resolveConstraints", "buildTimeline"]) {
      expect(all).not.toContain(internal);
    }
  });
});
