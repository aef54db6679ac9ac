/**
 * Child process entry: measures one XPUB configuration (JSON in argv[2]) and reports one
 * result message. Run by the xpub suite in a fresh process per configuration and round.
 */
import { describeError } from "../rig/errors.js";
import { exitWhenOrphaned } from "../rig/orphan.js";
import { emit } from "../rig/protocol.js";
import { parseXpubConfig } from "./config.js";
import { measureXpub } from "./measure.js";

exitWhenOrphaned();
try {
  const run = await measureXpub(parseXpubConfig(process.argv[2]));
  emit({ kind: "result", metrics: run.metrics, notes: run.notes });
} catch (err) {
  emit({ kind: "result", metrics: {}, notes: { error: describeError(err) } });
  process.exitCode = 1;
}
