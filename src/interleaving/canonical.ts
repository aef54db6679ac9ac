import type { Interleaving, Op } from "./types.js";

/**
 * The same interleaving with its names tidied: sockets `s0, s1, ...` and endpoints
 * `e0, e1, ...` in order. Nothing else changes (socket order, actors, ops, schedule), so it
 * runs exactly as the original; shrunk counterexamples print and replay in this form.
 */
export function canonicalize(x: Interleaving): Interleaving {
  const socketName = new Map(x.scenario.sockets.map((s, i) => [s.id, `s${i}`] as const));
  const endpoints = [...new Set(x.scenario.sockets.map((s) => s.endpoint))];
  const endpointName = new Map(endpoints.map((e, i) => [e, `e${i}`] as const));
  const same = x.scenario.sockets.every((s, i) => s.id === `s${i}`) && endpoints.every((e, i) => e === `e${i}`);
  if (same) return x;
  const sock = (id: string) => socketName.get(id) ?? id;
  const op = (o: Op): Op => {
    if (o.kind === "exit") return o;
    if (o.kind === "send" && o.to !== undefined) return { ...o, socket: sock(o.socket), to: sock(o.to) };
    return { ...o, socket: sock(o.socket) };
  };
  return {
    scenario: { ...x.scenario, sockets: x.scenario.sockets.map((s) => ({ ...s, id: sock(s.id), endpoint: endpointName.get(s.endpoint) ?? s.endpoint })) },
    programs: x.programs.map((p) => ({ actor: p.actor, ops: p.ops.map(op) })),
    schedule: x.schedule,
    ...(x.races === undefined ? {} : { races: x.races }),
  };
}
