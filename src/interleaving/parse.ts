import { showValue } from "../input/show.js";
import { ParseError } from "../errors.js";
import { parseActorName } from "./actor.js";
import { FORMAT_TAG } from "./format.js";
import { OP_KINDS, SOCKET_TYPES, type ActorId, type Interleaving, type Op, type Program, type SocketSpec } from "./types.js";
import { validateInterleaving } from "./validate.js";

/** Reads the text form written by `formatInterleaving`; the result is validated. */

type Token =
  | { readonly t: "word"; readonly v: string; readonly at: number }
  | { readonly t: "string"; readonly v: string; readonly at: number }
  | { readonly t: "sep" | "comma" | "colon" | "eq"; readonly at: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "|" || c === "\n") {
      out.push({ t: "sep", at: i++ });
    } else if (c === ",") {
      out.push({ t: "comma", at: i++ });
    } else if (c === ":") {
      out.push({ t: "colon", at: i++ });
    } else if (c === "=") {
      out.push({ t: "eq", at: i++ });
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw new ParseError("unterminated string", i, text);
      const raw = text.slice(i, j + 1);
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        throw new ParseError(`bad string literal ${showValue(raw)}`, i, text);
      }
      out.push({ t: "string", v: v as string, at: i });
      i = j + 1;
    } else if (/[A-Za-z0-9_/.-]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_/.-]/.test(text[j] as string)) j++;
      out.push({ t: "word", v: text.slice(i, j), at: i });
      i = j;
    } else throw new ParseError(`unexpected character ${showValue(c)}`, i, text);
  }
  return out;
}

/** Words of the format's vocabulary: read, they are these very strings. */
const VOCABULARY: readonly string[] = [...SOCKET_TYPES, ...OP_KINDS, "thread", "task", "inproc", "tcp", "bind", "connect", "readable", "writable"];

class Reader {
  private pos = 0;
  private readonly tokens: readonly Token[];
  private readonly text: string;
  /**
   * One string per distinct word: the vocabulary's own, and for names (socket ids, endpoints)
   * the first reading, so equal words compare by identity as in generated interleavings.
   */
  private readonly words = new Map<string, string>(VOCABULARY.map((w) => [w, w]));
  constructor(tokens: readonly Token[], text: string) {
    this.tokens = tokens;
    this.text = text;
  }
  fail(message: string): never {
    const tok = this.tokens[this.pos];
    throw new ParseError(message, tok?.at ?? this.text.length, this.text);
  }
  done(): boolean {
    return this.pos >= this.tokens.length;
  }
  peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  is(t: Token["t"]): boolean {
    return this.peek()?.t === t;
  }
  word(what: string): string {
    const tok = this.next();
    if (tok?.t !== "word") {
      this.pos--;
      return this.fail(`expected ${what}`);
    }
    const known = this.words.get(tok.v);
    if (known !== undefined) return known;
    this.words.set(tok.v, tok.v);
    return tok.v;
  }
  str(what: string): string {
    const tok = this.next();
    if (tok?.t !== "string") {
      this.pos--;
      return this.fail(`expected ${what} as a "quoted" string`);
    }
    return tok.v;
  }
  expect(t: "sep" | "comma" | "colon" | "eq", what: string): void {
    if (this.next()?.t !== t) {
      this.pos--;
      this.fail(`expected ${what}`);
    }
  }
  actor(): ActorId {
    const w = this.word("an actor such as main/t0 or w1/t2");
    const a = parseActorName(w);
    if (a === null) {
      this.pos--;
      return this.fail(`${showValue(w)} is not an actor; write main/t0 or w1/t2`);
    }
    return a;
  }
  int(what: string): number {
    const w = this.word(what);
    if (!/^-?(0|[1-9][0-9]*)$/.test(w) || !Number.isSafeInteger(Number(w))) {
      this.pos--;
      return this.fail(`expected ${what}, got ${showValue(w)}`);
    }
    return Number(w);
  }
  endOfSection(): boolean {
    return this.done() || this.is("sep");
  }
}

function parseSocket(r: Reader): SocketSpec {
  const id = r.word("a socket id");
  const type = r.word("a socket type") as SocketSpec["type"];
  const owner = r.actor();
  const role = r.word('"bind" or "connect"');
  if (role !== "bind" && role !== "connect") r.fail(`expected "bind" or "connect", got ${showValue(role)}`);
  const endpoint = r.word("an endpoint name");
  const subscriptions: string[] = [];
  let linger = -1;
  while (!r.endOfSection()) {
    const key = r.word("topic= or linger=");
    r.expect("eq", `"=" after ${key}`);
    if (key === "topic") subscriptions.push(r.str("a topic"));
    else if (key === "linger") linger = r.int("a linger in ms");
    else r.fail(`unknown socket option ${showValue(key)}; use topic="..." or linger=N`);
  }
  return { id, type, owner, endpoint, role: role as "bind" | "connect", subscriptions, linger };
}

function parseOp(r: Reader): Op {
  let word = r.word("an op");
  let nowait = false;
  if (word === "void") {
    nowait = true;
    word = r.word("send or recv after void");
    if (word !== "send" && word !== "recv") r.fail("only send and recv can be fire-and-forget (void)");
  }
  switch (word) {
    case "send": {
      const socket = r.word("a socket id");
      const payload = r.str("a payload");
      const next = r.peek();
      if (next?.t === "word" && next.v === "to") {
        r.next();
        return { kind: "send", socket, payload, nowait, to: r.word("the peer socket id") };
      }
      return { kind: "send", socket, payload, nowait };
    }
    case "recv":
      return { kind: "recv", socket: r.word("a socket id"), nowait };
    case "poll": {
      const socket = r.word("a socket id");
      const event = r.word('"readable" or "writable"');
      if (event !== "readable" && event !== "writable") r.fail(`expected "readable" or "writable", got ${showValue(event)}`);
      return { kind: "poll", socket, event: event as "readable" | "writable" };
    }
    case "close":
      return { kind: "close", socket: r.word("a socket id") };
    case "subscribe":
    case "unsubscribe":
      return { kind: word, socket: r.word("a socket id"), topic: r.str("a topic") };
    case "handoff":
      return { kind: "handoff", socket: r.word("a socket id"), to: r.actor() };
    case "exit":
      return { kind: "exit" };
    default:
      return r.fail(`unknown op ${showValue(word)}; use send, recv, poll, close, subscribe, unsubscribe, handoff or exit`);
  }
}

function parseProgram(r: Reader): Program {
  const actor = r.actor();
  r.expect("colon", `":" after the actor`);
  const ops: Op[] = [];
  while (!r.endOfSection()) {
    if (ops.length > 0) r.expect("comma", `"," between ops`);
    ops.push(parseOp(r));
  }
  return { actor, ops };
}

/** Parses and validates an interleaving string; throws `ParseError` or `InvalidInterleavingError`. */
export function parseInterleaving(text: string): Interleaving {
  if (typeof text !== "string") throw new ParseError("expected a string", 0, String(text));
  const r = new Reader(tokenize(text), text);
  while (r.is("sep")) r.next();
  const tag = r.word(`the tag ${FORMAT_TAG}`);
  if (tag !== FORMAT_TAG) r.fail(`expected the tag ${FORMAT_TAG}, got ${showValue(tag)}`);
  const ownership = r.word('"thread" or "task"');
  const transport = r.word('"inproc" or "tcp"');
  const sockets: SocketSpec[] = [];
  const programs: Program[] = [];
  let schedule: number[] | null = null;
  let races: number[] | null = null;
  while (!r.done()) {
    r.expect("sep", '"|" or a new line between sections');
    if (r.endOfSection()) continue;
    const first = r.peek();
    if (races !== null) r.fail("nothing may follow the races");
    if (schedule !== null) {
      if (first?.t !== "word" || first.v !== "races") r.fail('only "races" may follow the schedule');
      r.next();
      races = [];
      while (!r.endOfSection()) races.push(r.int("a race choice"));
      continue;
    }
    const isProgram = first?.t === "word" && parseActorName(first.v) !== null;
    if (first?.t === "word" && first.v === "schedule") {
      r.next();
      schedule = [];
      while (!r.endOfSection()) schedule.push(r.int("a schedule choice"));
    } else if (isProgram) programs.push(parseProgram(r));
    else {
      if (programs.length > 0) r.fail("sockets come before programs");
      sockets.push(parseSocket(r));
    }
  }
  if (schedule === null) r.fail('missing the "schedule" section (write "schedule" alone for an empty one)');
  const value = { scenario: { ownership, transport, sockets }, programs, schedule, ...(races === null || races.length === 0 ? {} : { races }) };
  validateInterleaving(value);
  return value;
}
