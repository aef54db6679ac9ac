// Runs the interleavings of a file (one replay string per line) one after another through
// runInterleaving and prints one JSON line per run: refused (with the error's code and
// message), or the verdict and where it ran. Started by test/runtime/budget.test.ts under a
// lowered descriptor limit; the process must end on its own, exit code 0.
import { readFileSync } from "node:fs";
import { KitError } from "../../../src/errors.js";
import { parseInterleaving } from "../../../src/interleaving/parse.js";
import { runInterleaving } from "../../../src/runtime/executor.js";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: budget-driver.ts <interleavings file>");
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
for (const [i, line] of lines.entries()) {
  let out: Record<string, unknown>;
  try {
    const r = await runInterleaving(parseInterleaving(line));
    out = { i, outcome: r.process === null ? "here" : "isolated", verdict: r.verdict.kind, message: "message" in r.verdict ? r.verdict.message : "", ending: r.process?.ending ?? null };
  } catch (err) {
    out = { i, outcome: "error", code: KitError.is(err) ? err.code : null, name: err instanceof Error ? err.name : "", message: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
