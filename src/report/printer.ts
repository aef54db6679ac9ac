import { showValue } from "../input/show.js";
import { canonicalize } from "../interleaving/canonical.js";
import { writeInterleaving } from "../interleaving/format.js";
import type { Interleaving } from "../interleaving/types.js";
import { checkInterleaving } from "../model/check.js";
import { checkModel, type Model } from "../model/model.js";
import { textOptions } from "./inputs.js";
import { writeReplay } from "./replayLine.js";
import { renderTimeline, type TextTimelineOptions } from "./text.js";

/** Checks printer options: the text timeline's, plus the model; splits them for the two uses. */
export function printerOptions(where: string, options: TimelinePrinterOptions | undefined): { readonly model: Model | undefined; readonly text: TextTimelineOptions } {
  const { model, ...text } = textOptions(where, options, ["model"]);
  return { model: model === undefined ? undefined : checkModel(`${where}: model`, model), text };
}

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
  const { model, text } = printerOptions("timelinePrinter", options);
  return (value) => {
    const x = canonicalize(value);
    try {
      const result = checkInterleaving(x, model === undefined ? {} : { model });
      return `\n${renderTimeline({ interleaving: x, ...result }, text)}\n`;
    } catch (err: unknown) {
      const why = err instanceof Error ? err.message : String(err);
      let line: string;
      try {
        line = writeReplay({ interleaving: x });
      } catch {
        line = "";
      }
      let form: string;
      try {
        form = writeInterleaving(x, true);
      } catch {
        form = showValue(x);
      }
      return `\n${form}\n(no timeline: ${why})\n${line}\n`;
    }
  };
}
