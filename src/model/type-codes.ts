import { SOCKET_TYPES, type SocketType } from "../interleaving/types.js";

/**
 * Socket types as small numbers, the index of each in `SOCKET_TYPES`: the engine compares a
 * socket's type at nearly every step, and a number compares at once where a string that did
 * not come from a literal (a parsed scenario's) is compared character by character.
 */
export const PAIR = 0;
export const PUB = 1;
export const SUB = 2;
export const XPUB = 3;
export const XSUB = 4;
export const PUSH = 5;
export const PULL = 6;
export const REQ = 7;
export const REP = 8;
export const DEALER = 9;
export const ROUTER = 10;

/** The type of each code. */
export const SOCKET_TYPE_NAMES: readonly SocketType[] = SOCKET_TYPES;

/** The slot of a type name in `BY_SLOT`: its first three characters, mixed so that the eleven types get a slot each. */
function slot(type: string): number {
  return (type.charCodeAt(0) + 4 * type.charCodeAt(1) + 7 * type.charCodeAt(2)) & 15;
}

/** The code of the type in each slot (-1 for none). */
const BY_SLOT: readonly number[] = (() => {
  const table = new Array<number>(16).fill(-1);
  SOCKET_TYPES.forEach((type, code) => {
    table[slot(type)] = code;
  });
  return table;
})();

/**
 * The code of `type` (its index in `SOCKET_TYPES`); -1 for a string that is no socket type.
 * Its slot names the one type it can be, without a branch on its characters (a scenario's
 * types are hard to predict); one comparison makes it sure.
 */
export function typeCode(type: SocketType): number {
  const code = BY_SLOT[slot(type)] as number;
  return code >= 0 && SOCKET_TYPES[code] === type ? code : SOCKET_TYPES.indexOf(type);
}
