/**
 * Finds the suites: every `bench/suites/<name>.ts` module exporting `suite` with the same
 * name. Dropping a `kit-<name>.ts` there is all it takes to add a suite.
 */
import { readdirSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BenchError } from "./errors.js";
import type { Suite } from "./suite.js";

/** The directory suites are discovered in. */
export const suitesDir: string = fileURLToPath(new URL("../suites", import.meta.url));

const preferred = ["xpub", "shutdown"];

/** Imports every suite module of `dir`, in a stable order (xpub, shutdown, then by name). */
export async function loadSuites(dir: string = suitesDir): Promise<Suite[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  const suites: Suite[] = [];
  for (const file of files) {
    const name = basename(file, ".ts");
    const module = (await import(pathToFileURL(`${dir}/${file}`).href)) as { suite?: unknown };
    if (!isSuite(module.suite)) throw new BenchError("BAD_SUITE", `${file} must export \`suite\` (see bench/rig/suite.ts)`);
    if (module.suite.name !== name) throw new BenchError("BAD_SUITE", `${file} exports a suite named "${module.suite.name}"; name it "${name}"`);
    suites.push(module.suite);
  }
  const rank = (s: Suite): number => {
    const i = preferred.indexOf(s.name);
    return i < 0 ? preferred.length : i;
  };
  return suites.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The suites named in `names` (all when empty); throws BAD_ARGS naming the known ones. */
export function selectSuites(all: readonly Suite[], names: readonly string[]): Suite[] {
  if (names.length === 0) return [...all];
  return names.map((n) => {
    const found = all.find((s) => s.name === n);
    if (found === undefined) throw new BenchError("BAD_ARGS", `no suite "${n}"; known: ${all.map((s) => s.name).join(", ")}`);
    return found;
  });
}

function isSuite(value: unknown): value is Suite {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v["name"] === "string" &&
    typeof v["title"] === "string" &&
    typeof v["rounds"] === "function" &&
    typeof v["plan"] === "function" &&
    typeof v["present"] === "function" &&
    Array.isArray(v["ratios"])
  );
}
