import { parseInterleaving } from "../src/interleaving/parse.js";
import { checkInterleaving, type CheckOptions, type CheckResult } from "../src/model/check.js";
import { verdictLabel } from "../src/model/verdict.js";

/** Runs an interleaving string through the model. */
export function run(text: string, options: CheckOptions = {}): CheckResult {
  return checkInterleaving(parseInterleaving(text), options);
}

/** The verdict label (`ok`, a rule name, `stuck`, `exit-hang`) of an interleaving string. */
export function label(text: string, options: CheckOptions = {}): string {
  return verdictLabel(run(text, options).verdict);
}
