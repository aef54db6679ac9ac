import { describe, expect, it } from "vitest";
import { OP_KINDS } from "../../src/interleaving/types.js";
import { opCode } from "../../src/model/op-codes.js";

describe("opCode", () => {
  it("gives each op kind its index in OP_KINDS, whether the kind is a literal or was built at run time", () => {
    OP_KINDS.forEach((kind, k) => {
      expect(opCode(kind)).toBe(k);
      // A string that did not come from a literal (as a parser makes them).
      expect(opCode([...kind].join("") as typeof kind)).toBe(k);
    });
  });

  it("gives -1 for strings that are no op kind, even where length and first character match one", () => {
    for (const other of ["", "sent", "rest", "pole", "exec", "clone", "subscript", "unsubscribed", "handout", "SEND", "send "]) {
      expect(opCode(other as (typeof OP_KINDS)[number])).toBe(-1);
    }
  });
});
