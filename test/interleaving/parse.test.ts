import { describe, expect, it } from "vitest";
import { InvalidInterleavingError, KitError, ParseError } from "../../src/errors.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";

const SAMPLE: Interleaving = {
  scenario: {
    ownership: "task",
    transport: "tcp",
    sockets: [
      { id: "s0", type: "router", owner: { thread: 0, task: 0 }, endpoint: "e0", role: "bind", subscriptions: [], linger: -1 },
      { id: "s1", type: "dealer", owner: { thread: 1, task: 2 }, endpoint: "e0", role: "connect", subscriptions: [], linger: 0 },
      { id: "s2", type: "xpub", owner: { thread: 0, task: 0 }, endpoint: "e1", role: "bind", subscriptions: [], linger: -1 },
      { id: "s3", type: "sub", owner: { thread: 0, task: 0 }, endpoint: "e1", role: "connect", subscriptions: ["a", 'quote " and | bar'], linger: 250 },
    ],
  },
  programs: [
    {
      actor: { thread: 0, task: 0 },
      ops: [
        { kind: "recv", socket: "s0", nowait: false },
        { kind: "send", socket: "s0", payload: "r,1", nowait: true, to: "s1" },
        { kind: "poll", socket: "s2", event: "writable" },
        { kind: "subscribe", socket: "s3", topic: "" },
        { kind: "unsubscribe", socket: "s3", topic: "a" },
        { kind: "handoff", socket: "s2", to: { thread: 0, task: 1 } },
        { kind: "close", socket: "s0" },
      ],
    },
    { actor: { thread: 0, task: 1 }, ops: [] },
    { actor: { thread: 1, task: 2 }, ops: [{ kind: "send", socket: "s1", payload: "", nowait: false }, { kind: "recv", socket: "s1", nowait: true }, { kind: "exit" }] },
  ],
  schedule: [0, 3, 0, 12],
};

describe("formatInterleaving / parseInterleaving", () => {
  it("writes the documented one-line form", () => {
    const text = 'zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule';
    expect(formatInterleaving(parseInterleaving(text))).toBe(text);
  });
  it("round-trips every op kind, option and quoting", () => {
    const text = formatInterleaving(SAMPLE);
    expect(text).toContain('send s0 "r,1" to s1');
    expect(text).toContain('topic="quote \\" and | bar"');
    expect(text).toContain("linger=250");
    expect(text).toContain("w1/t2: send s1 \"\", void recv s1, exit");
    expect(parseInterleaving(text)).toEqual(SAMPLE);
  });
  it("round-trips the multi-line form", () => {
    const text = formatInterleaving(SAMPLE, { multiline: true });
    expect(text.split("\n")).toHaveLength(1 + 4 + 3 + 1);
    expect(parseInterleaving(text)).toEqual(SAMPLE);
  });
  it("does not add undefined fields", () => {
    const x = parseInterleaving('zi1 thread inproc | s0 push main/t0 bind e0 | main/t0: send s0 "a" | schedule');
    expect(Object.keys(x.programs[0]?.ops[0] ?? {})).toEqual(["kind", "socket", "payload", "nowait"]);
  });
});

describe("parse errors", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /expected the tag zi1/],
    ["zi2 thread inproc | schedule", /expected the tag zi1, got "zi2"/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0", /missing the "schedule" section/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: jump s0 | schedule", /unknown op "jump"/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 recv s0 | schedule", /expected "," between ops/],
    ['zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: send s0 "a | schedule', /unterminated string/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: void poll s0 readable | schedule", /only send and recv can be fire-and-forget/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 | schedule 1 x", /expected a schedule choice, got "x"/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: | schedule | main/t1:", /may follow the schedule/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 port=3 | schedule", /unknown socket option "port"/],
    ["zi1 thread inproc | s0 pull main/x0 bind e0 | schedule", /"main\/x0" is not an actor/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: poll s0 sideways | schedule", /expected "readable" or "writable"/],
    ["zi1 thread inproc | s0 pull main/t0 bind e0 ; schedule", /unexpected character ";"/],
  ];
  for (const [text, message] of cases) {
    it(`rejects ${JSON.stringify(text.slice(0, 60))}`, () => {
      let err: unknown;
      try {
        parseInterleaving(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParseError);
      expect(KitError.is(err)).toBe(true);
      expect((err as ParseError).code).toBe("PARSE_ERROR");
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toContain("near:");
    });
  }
  it("reports a text that parses but does not validate as InvalidInterleavingError", () => {
    expect(() => parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: send s0 \"a\" | schedule")).toThrow(InvalidInterleavingError);
  });
});

describe("race choices in the text form", () => {
  it("round-trip after the schedule, and are left out when there are none", () => {
    const text = 'zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: poll s0 readable | main/t1: void send s1 "a" | schedule 1 | races 2 0 1';
    const x = parseInterleaving(text);
    expect(x.races).toEqual([2, 0, 1]);
    expect(formatInterleaving(x)).toBe(text);
    expect(parseInterleaving(text.replace(" | races 2 0 1", " | races"))).not.toHaveProperty("races");
    expect(formatInterleaving({ ...x, races: [] })).toBe(text.replace(" | races 2 0 1", ""));
    expect(() => parseInterleaving(`${text} | schedule`)).toThrow(/nothing may follow the races/);
    expect(() => parseInterleaving(text.replace("races 2", "races -2"))).toThrow();
  });
});
