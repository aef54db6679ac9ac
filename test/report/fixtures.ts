import { parseActorName } from "../../src/interleaving/actor.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { ActorId, HistoryEvent, Interleaving, Op, OpResult } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import type { TimelineInput } from "../../src/report/timeline.js";

/** The smallest interleaving for each verdict label of the model. */
export const EXAMPLES = {
  ok: 'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "x" | schedule',
  "foreign-owner": "zi1 thread inproc | s0 pull w1/t0 bind e0 | main/t0: recv s0 | w1/t0: | schedule",
  "busy-send": 'zi1 thread inproc | s0 push main/t0 bind e0 | main/t0: void send s0 "a", send s0 "b" | schedule',
  "busy-recv": "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule",
  "lost-wakeup": 'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: poll s0 readable, send s1 "x" | schedule',
  "use-after-close": "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: close s0, recv s0 | schedule",
  "unobserved-rejection": "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: void recv s0, close s0 | schedule",
  "handoff-across-threads": "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: handoff s0 w1/t0 | w1/t0: | schedule",
  "handoff-while-pending": "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: void recv s0, handoff s0 main/t1 | main/t1: | schedule",
  "teardown-while-pending": "zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: void recv s0, exit | schedule",
  stuck: "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | schedule",
  "exit-hang": 'zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 | main/t0: close s0, send s1 "x", send s1 "y" | schedule',
} as const;

/** A verdict label with an example. */
export type ExampleLabel = keyof typeof EXAMPLES;

/** Every label with an example, in a fixed order. */
export const EXAMPLE_LABELS = Object.keys(EXAMPLES) as ExampleLabel[];

/** The model's run of an interleaving string, ready for a renderer. */
export function modelRun(text: string): TimelineInput & { readonly interleaving: Interleaving } {
  const interleaving = parseInterleaving(text);
  return { interleaving, ...checkInterleaving(interleaving) };
}

/** `text` with every run of white space made one space (to find a wrapped sentence). */
export function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** An invoke event written by hand: `inv(0, "main/t0", 0, op)`. */
export function inv(step: number, actor: string, index: number, op: Op): HistoryEvent {
  return { kind: "invoke", step, actor: actorOf(actor), index, op };
}

/** A return event written by hand: `ret(1, "main/t0", 0, { kind: "done" })`. */
export function ret(step: number, actor: string, index: number, result: OpResult): HistoryEvent {
  return { kind: "return", step, actor: actorOf(actor), index, result };
}

function actorOf(name: string): ActorId {
  const a = parseActorName(name);
  if (a === null) throw new Error(`not an actor name: ${name}`);
  return a;
}
