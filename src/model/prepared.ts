import type { ActorId, Interleaving, Op, Program, SocketSpec } from "../interleaving/types.js";
import { actorKey, idKey, indexOfId, type Topology } from "./state.js";

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
  /** The op's kind (`op.kind`, read once: ops come in many object shapes). */
  readonly kinds: readonly Op["kind"][];
  /** The op's socket as an index into `scenario.sockets` (-1 for `exit`). */
  readonly sockets: readonly number[];
  /** The op ends its actor's turn (`endsTurn`). */
  readonly ends: readonly boolean[];
}

/** The ids of `x`'s sockets and their `idKey`s, as a topology of its scenario has them. */
function socketIds(x: Interleaving): Pick<Topology, "ids" | "idKeys"> {
  const specs = x.scenario.sockets;
  const ids = new Array<string>(specs.length);
  const idKeys = new Array<number>(specs.length);
  for (let i = 0; i < specs.length; i++) {
    const id = (specs[i] as SocketSpec).id;
    ids[i] = id;
    idKeys[i] = idKey(id);
  }
  return { ids, idKeys };
}

/** The prepared form of `x`'s programs; `topology`, when given, is that of `x`'s scenario (its socket ids are read from there). */
export function prepareInterleaving(x: Interleaving, topology: Pick<Topology, "ids" | "idKeys"> = socketIds(x)): PreparedInterleaving {
  const { ids, idKeys } = topology;
  const programs = x.programs;
  const n = programs.length;
  let total = 0;
  for (let p = 0; p < n; p++) total += (programs[p] as Program).ops.length;
  // Sized up front: these lists are built at every check.
  const actors = new Array<ActorId>(n);
  const keys = new Array<number>(n);
  const threads = new Array<number>(n);
  const starts = new Array<number>(n + 1);
  const ops = new Array<Op>(total);
  const kinds = new Array<Op["kind"]>(total);
  const sockets = new Array<number>(total);
  const ends = new Array<boolean>(total);
  let at = 0;
  for (let p = 0; p < n; p++) {
    const program = programs[p] as Program;
    actors[p] = program.actor;
    keys[p] = actorKey(program.actor);
    threads[p] = program.actor.thread;
    starts[p] = at;
    const list = program.ops;
    for (let k = 0; k < list.length; k++, at++) {
      const op = list[k] as Op;
      ops[at] = op;
      // `endsTurn`, and the socket. Ops come in many object shapes, and a read of a field every
      // kind has is slow: the kind is read once, and the socket where the kind narrows the shapes.
      const { kind } = op;
      kinds[at] = kind;
      switch (kind) {
        case "exit":
          sockets[at] = -1;
          ends[at] = true;
          break;
        case "send":
          sockets[at] = indexOfId(ids, idKeys, op.socket);
          ends[at] = !op.nowait;
          break;
        case "recv":
          sockets[at] = indexOfId(ids, idKeys, op.socket);
          ends[at] = !op.nowait;
          break;
        default:
          sockets[at] = indexOfId(ids, idKeys, op.socket);
          ends[at] = false;
      }
    }
  }
  starts[n] = at;
  return { actors, keys, threads, starts, ops, kinds, sockets, ends };
}
