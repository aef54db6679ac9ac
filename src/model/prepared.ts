import type { ActorId, Interleaving, Op, Program } from "../interleaving/types.js";
import { actorKey } from "./state.js";

/**
 * An interleaving's programs with what every step asks of them worked out once, before the
 * walk: each actor's key and thread, each op's socket (as an index into the scenario's
 * sockets) and whether it ends its actor's turn. Plain data, built at the start of a check.
 */
export interface PreparedInterleaving {
  /** Per program, in program order: its actor, `actorKey` of it, and its thread. */
  readonly actors: readonly ActorId[];
  readonly keys: readonly number[];
  readonly threads: readonly number[];
  // invariant: starts[p] <= starts[p + 1]; program p's ops sit at starts[p] .. starts[p + 1] - 1 of the lists below
  readonly starts: readonly number[];
  /** Per op, the programs' ops one program after another. */
  readonly ops: readonly Op[];
  /** The op's socket as an index into `scenario.sockets` (-1 for `exit`). */
  readonly sockets: readonly number[];
  /** The op ends its actor's turn (`endsTurn`). */
  readonly ends: readonly boolean[];
}

/** The index of socket `id` in `ids`; throws for an unknown id (an interleaving that was not validated). */
function socketAt(ids: readonly string[], id: string): number {
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i;
  throw new Error(`model: unknown socket ${id} (validate the interleaving first)`);
}

/** The prepared form of `x`'s programs. */
export function prepareInterleaving(x: Interleaving): PreparedInterleaving {
  const specs = x.scenario.sockets;
  const ids: string[] = [];
  for (let i = 0; i < specs.length; i++) ids.push((specs[i] as Interleaving["scenario"]["sockets"][number]).id);
  const actors: ActorId[] = [];
  const keys: number[] = [];
  const threads: number[] = [];
  const starts: number[] = [];
  const ops: Op[] = [];
  const sockets: number[] = [];
  const ends: boolean[] = [];
  const programs = x.programs;
  for (let p = 0; p < programs.length; p++) {
    const program = programs[p] as Program;
    actors.push(program.actor);
    keys.push(actorKey(program.actor));
    threads.push(program.actor.thread);
    starts.push(ops.length);
    const list = program.ops;
    for (let k = 0; k < list.length; k++) {
      const op = list[k] as Op;
      // `endsTurn`, reading the kind once: op objects come in many shapes, so each read of a field all of them have is slow.
      const { kind } = op;
      ops.push(op);
      if (kind === "exit") {
        sockets.push(-1);
        ends.push(true);
      } else {
        sockets.push(socketAt(ids, op.socket));
        ends.push((kind === "send" || kind === "recv") && !op.nowait);
      }
    }
  }
  starts.push(ops.length);
  return { actors, keys, threads, starts, ops, sockets, ends };
}
