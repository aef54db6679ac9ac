/**
 * Prints the README's user test file (the block marked `readme-check: vitest-fails RULE`) to
 * stdout, or with `--rule` the rule it must fail with. Used by .ci/run, which writes the file
 * into a scratch project as a user would.
 *
 *     npx tsx test/readme/extract.ts [--rule] [README.md]
 */
import { readFileSync } from "node:fs";
import { typescriptBlocks } from "./blocks.js";

const args = process.argv.slice(2);
const wantRule = args.includes("--rule");
const file = args.find((a) => !a.startsWith("--")) ?? "README.md";
const tests = typescriptBlocks(readFileSync(file, "utf8")).filter((b) => b.check.kind === "vitest-fails");
const first = tests[0];
if (tests.length !== 1 || first === undefined || first.check.kind !== "vitest-fails") {
  process.stderr.write(`${file}: expected exactly one block marked readme-check: vitest-fails RULE, found ${tests.length}\n`);
  process.exit(1);
}
process.stdout.write(wantRule ? `${first.check.rule}\n` : first.code);
