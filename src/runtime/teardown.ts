import type { HistoryEvent, Interleaving, OpResult } from "../interleaving/types.js";
import { createModel, type Model } from "../model/model.js";
import { Observations } from "../model/observations.js";
import type { ModelState } from "../model/state.js";
import { END_RULES, STEP_RULES } from "../model/verdict.js";
import { Observed, opRef, resultText, sameResult } from "./compare.js";
import type { HostHandle } from "./handle.js";
import type { Completion } from "./protocol.js";
import type { Diverged, RunResult } from "./result.js";

/**
 * The end of a real run: every socket on every live thread is closed, and the ops still in
 * flight must settle as the model says `close()` settles them.
 */

const bindingModels = new WeakMap<Model, Model>();

/** The model that does what zeromq.js does: every step rule off, the enforced end rules on. */
export function bindingModel(enforce: Model): Model {
  let m = bindingModels.get(enforce);
  if (m === undefined) {
    m = createModel({ disabled: [...STEP_RULES, ...END_RULES.filter((r) => !enforce.rules.has(r))] });
    bindingModels.set(enforce, m);
  }
  return m;
}

/** Ids of the sockets with an op in flight, in the model's state. */
function socketsWithPending(x: Interleaving, state: ModelState): string[] {
  return state.sockets.flatMap((s, i) => (s.pendingRecv !== null || s.pendingSend !== null ? [x.scenario.sockets[i]?.id ?? ""] : []));
}

/** Closes every socket on the `live` threads; returns how the ops in flight settled. */
export async function closeEverything(x: Interleaving, state: ModelState, live: readonly number[], hostOf: (thread: number) => HostHandle): Promise<Completion[]> {
  const { sockets } = x.scenario;
  const home = new Map(sockets.map((s) => [s.id, s.owner.thread] as const));
  const xpubs = new Set(sockets.filter((s) => s.type === "xpub").map((s) => s.id));
  // Each op in flight must settle by its own socket's close, not by a peer's. Only an XPUB
  // can be fed by a peer's close (a subscriber's unsubscription frames), so XPUBs with ops
  // in flight close first; then every thread closes everything, its sockets with ops in
  // flight first, all threads at once.
  const pending = socketsWithPending(x, state);
  const on = (t: number) => pending.filter((id) => home.get(id) === t);
  const out: Completion[] = [];
  const closeOn = async (requests: ReadonlyArray<Promise<readonly Completion[]>>) => {
    for (const settled of await Promise.all(requests)) out.push(...settled);
  };
  const xpubHosts = live.filter((t) => on(t).some((id) => xpubs.has(id)));
  await closeOn(xpubHosts.map((t) => hostOf(t).request({ cmd: "close-all", only: on(t) })));
  await closeOn(live.map((t) => hostOf(t).request({ cmd: "close-all", first: on(t) })));
  return out;
}

/** Pending ops must settle at teardown as `close()` settles them in the model. */
export function compareTeardown(binding: Model, state: ModelState, x: Interleaving, result: RunResult, settled: readonly Completion[]): RunResult {
  if (result.verdict.kind === "diverged" || result.verdict.kind === "unknown") return result;
  const expected = closeAllPrediction(binding, state, x, settled);
  for (const c of settled) {
    const want = expected.get(Observed.key(c.actor, c.index));
    if (want !== undefined && sameResult(want, c.result)) continue;
    const verdict: Diverged = {
      kind: "diverged",
      step: state.steps,
      expected: `${opRef(c.actor, c.index)} settles at teardown with ${resultText(want)}`,
      actual: `it settled with ${resultText(c.result)}`,
      message: `at teardown, ${opRef(c.actor, c.index)} settled with ${resultText(c.result)}, but the model expected ${resultText(want)}`,
    };
    return { ...result, verdict, divergedAt: result.history.length };
  }
  return result;
}

/** How the model says pending ops settle when every open socket is closed. */
function closeAllPrediction(binding: Model, state: ModelState, x: Interleaving, settled: readonly Completion[]): Map<string, OpResult> {
  const st = state.clone();
  const events: HistoryEvent[] = [];
  // What raced at teardown (a message arriving, a peer's close noticed) follows what happened.
  const seen = new Observations();
  for (const c of settled) seen.add(c.actor, c.index, c.result);
  const resolve = { choose: seen.choose(), decide: seen.decisions() };
  // As the teardown does it: sockets with ops in flight first, each settling on its own close.
  state.sockets.forEach((s, i) => {
    const spec = x.scenario.sockets[i];
    if (spec === undefined || s.closed || st.deadKeys.has(spec.owner.thread)) return;
    if (s.pendingRecv !== null || s.pendingSend !== null) binding.stepInPlace(st, s.owner, -1, { kind: "close", socket: spec.id }, events, resolve);
  });
  const out = new Map<string, OpResult>();
  for (const e of events) if (e.kind === "return" && e.index >= 0) out.set(Observed.key(e.actor, e.index), e.result);
  return out;
}
