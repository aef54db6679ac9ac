import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";

// Connections that land late (R19 in docs/binding-timing.md). A socket that connects over tcp
// gets its peer only when libzmq's I/O thread has done the handshake, in real time, while the
// program goes on. A PUSH bound over tcp hands its messages round-robin to the PULLs whose
// handshake is done at each send: when a burst of sends comes right after the first PULL
// joined, the others may not have joined yet (the shape of a ventilator and its workers).

/** Which PULL got which message: the messages' numbers per PULL, in connect order, as `036|147|25`. */
async function burst(pulls: number, messages: number): Promise<string> {
  const push = new zmq.Push({ linger: 0 });
  await push.bind("tcp://127.0.0.1:*");
  const endpoint = push.lastEndpoint ?? "";
  const sockets = Array.from({ length: pulls }, () => {
    const pull = new zmq.Pull({ linger: 0 });
    pull.connect(endpoint);
    return pull;
  });
  const got: number[][] = sockets.map(() => []);
  const reading = sockets.map(async (pull, i) => {
    for await (const [m] of pull) got[i]?.push(Number(String(m)));
  });
  // The first send waits for a peer; the rest complete at once, in one turn.
  for (let k = 0; k < messages; k++) await push.send(String(k));
  const all = async (): Promise<void> => {
    while (got.reduce((n, g) => n + g.length, 0) < messages) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  await all();
  for (const s of sockets) s.close();
  await Promise.all(reading);
  push.close();
  return got.map((g) => g.join("")).join("|");
}

describe("connections that land late (zeromq.js 6.8.0, real sockets over tcp)", () => {
  it("19. a PUSH's burst after the first PULL joined reaches every PULL connected in one block, or only the first ones, never one connected later before one connected earlier (200 trials)", async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const pattern = await burst(3, 8);
      counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
    }
    console.log("19", Object.fromEntries(counts));
    const reached = (pattern: string): number => pattern.split("|").filter((g) => g !== "").length;
    // Every message arrived, the first one always at the PULL connected first.
    for (const pattern of counts.keys()) {
      expect(pattern.replace(/\|/g, "").split("").sort().join("")).toBe("01234567");
      expect(pattern.startsWith("0")).toBe(true);
    }
    // The burst reached all three in some trials and fewer in others: the later connections'
    // handshakes race the burst.
    expect([...counts.keys()].some((p) => reached(p) === 3)).toBe(true);
    expect([...counts.keys()].some((p) => reached(p) < 3)).toBe(true);
  }, 120_000);

  it("21. a PUSH's first send in the turn its PULLs connected waits for a handshake nearly always; a timer later it completes at once (100 trials each)", async () => {
    /** Does the first send complete inside its call, `gap` after three PULLs connect (null: in the same turn)? */
    const atOnce = async (gap: number | null): Promise<boolean> => {
      const push = new zmq.Push({ linger: 0 });
      await push.bind("tcp://127.0.0.1:*");
      const pulls = [0, 1, 2].map(() => {
        const pull = new zmq.Pull({ linger: 0 });
        pull.connect(push.lastEndpoint ?? "");
        return pull;
      });
      if (gap !== null) await new Promise((resolve) => setTimeout(resolve, gap));
      let done = false;
      const sent = push.send("0").then(() => {
        done = true;
      });
      // An op that completes inside its call has resolved its promise: a few microtasks see it.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      const inCall = done;
      await sent;
      await pulls[0]?.receive();
      for (const pull of pulls) pull.close();
      push.close();
      return inCall;
    };
    const count = async (gap: number | null): Promise<number> => {
      let n = 0;
      for (let i = 0; i < 100; i++) if (await atOnce(gap)) n++;
      return n;
    };
    const sameTurn = await count(null);
    const timerLater = await count(1);
    console.log("21", { sameTurn, timerLater });
    // Measured: 8 of 100 at once in the same turn (a handshake can beat the program's next lines),
    // 98 of 100 after a 1 ms timer.
    expect(sameTurn).toBeLessThan(50);
    expect(timerLater).toBeGreaterThan(50);
  }, 120_000);
});
