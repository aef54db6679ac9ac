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

/** The code of `type` (its index in `SOCKET_TYPES`); -1 for a string that is no socket type. */
export function typeCode(type: SocketType): number {
  const code = guess(type);
  // The guess reads three characters; one comparison makes it sure.
  return code >= 0 && SOCKET_TYPES[code] === type ? code : SOCKET_TYPES.indexOf(type);
}

/** The only type `type` can be, from its length and a few characters. */
function guess(type: string): number {
  const c0 = type.charCodeAt(0);
  switch (type.length) {
    case 3:
      if (c0 === 112) return PUB; // p
      if (c0 === 115) return SUB; // s
      return type.charCodeAt(2) === 113 ? REQ : REP; // q
    case 4: {
      const c1 = type.charCodeAt(1);
      if (c0 === 120) return c1 === 112 ? XPUB : XSUB; // x, p
      if (c1 === 97) return PAIR; // a
      return type.charCodeAt(2) === 115 ? PUSH : PULL; // s
    }
    case 6:
      return c0 === 100 ? DEALER : ROUTER; // d
    default:
      return -1;
  }
}
