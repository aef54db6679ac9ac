import { canonicalize } from "../interleaving/canonical.js";
import { formatInterleaving } from "../interleaving/format.js";
import type { Interleaving } from "../interleaving/types.js";
import { checkInterleaving } from "../model/check.js";
import type { Model } from "../model/model.js";
import { formatReplay } from "./replayLine.js";
import { renderTimeline, type TextTimelineOptions } from "./text.js";

/** Options of `timelinePrinter`. */
export interface TimelinePrinterOptions extends TextTimelineOptions {
  /** The model whose account is printed (default: every rule on). */
  readonly model?: Model;
}

/**
 * A printer for generated interleavings: runs the value through the model and prints its
 * timeline, ending with the replay line, between blank lines so it stands out in a
 * fast-check counterexample. Never throws: a value the model cannot check prints in its
 * multi-line text form with the reason.
 */
export function timelinePrinter(options: TimelinePrinterOptions = {}): (x: Interleaving) => string {
  return (value) => {
    const x = canonicalize(value);
    try {
      const result = checkInterleaving(x, options.model === undefined ? {} : { model: options.model });
      return `\n${renderTimeline({ interleaving: x, ...result }, options)}\n`;
    } catch (err: unknown) {
      const why = err instanceof Error ? err.message : String(err);
      let line: string;
      try {
        line = formatReplay({ interleaving: x });
      } catch {
        line = "";
      }
      return `\n${formatInterleaving(x, { multiline: true })}\n(no timeline: ${why})\n${line}\n`;
    }
  };
}
