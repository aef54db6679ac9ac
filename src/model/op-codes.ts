import { OP_KINDS, type OpKind } from "../interleaving/types.js";

/**
 * Op kinds as small numbers, the index of each in `OP_KINDS`: the walk reads an op's kind once
 * and the engine and the rules switch on the number, where a kind that did not come from a
 * literal (a parsed one) is compared character by character.
 */
export const SEND = 0;
export const RECV = 1;
export const POLL = 2;
export const CLOSE = 3;
export const SUBSCRIBE = 4;
export const UNSUBSCRIBE = 5;
export const HANDOFF = 6;
export const EXIT = 7;

/** The code of `kind` (its index in `OP_KINDS`); -1 for a string that is no op kind. */
export function opCode(kind: OpKind): number {
  const code = guess(kind);
  // The guess reads two characters; one comparison makes it sure.
  return code >= 0 && OP_KINDS[code] === kind ? code : OP_KINDS.indexOf(kind);
}

/** The only kind `kind` can be, from its length and first character. */
function guess(kind: string): number {
  switch (kind.length) {
    case 4: {
      const c0 = kind.charCodeAt(0);
      if (c0 === 115) return SEND; // s
      if (c0 === 114) return RECV; // r
      return c0 === 112 ? POLL : EXIT; // p
    }
    case 5:
      return CLOSE;
    case 9:
      return SUBSCRIBE;
    case 11:
      return UNSUBSCRIBE;
    case 7:
      return HANDOFF;
    default:
      return -1;
  }
}
