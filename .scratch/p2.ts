import * as zmq from "zeromq";
const M = Number(process.argv[2] ?? 2000);
const ctx = new zmq.Context();
const pub = new zmq.Publisher({ context: ctx, sendHighWaterMark: 0 });
await pub.bind("inproc://x");
const sub = new zmq.Subscriber({ context: ctx, receiveHighWaterMark: 0 });
sub.connect("inproc://x"); sub.subscribe("");
let count = 0; let target = Infinity; let w: (() => void) | undefined;
const mode = process.argv[3] ?? "iter";
(async () => {
  if (mode === "iter") { for await (const _ of sub) { count++; if (count >= target && w) { w(); w = undefined; } } }
  else { for (;;) { try { await sub.receive(); } catch { break; } count++; if (count >= target && w) { w(); w = undefined; } } }
})();
while (count === 0) { await pub.send("j"); await new Promise(r => setTimeout(r, 1)); }
await new Promise(r => setTimeout(r, 50));
const msg = Buffer.alloc(16, 100);
const tsend: number[] = [], ttot: number[] = [];
for (let it = 0; it < 50; it++) {
  target = count + M;
  const done = new Promise<void>(r => (w = r));
  const t0 = performance.now();
  for (let i = 0; i < M; i++) await pub.send(msg);
  const t1 = performance.now();
  await done;
  const t2 = performance.now();
  tsend.push(t1 - t0); ttot.push(t2 - t0);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!;
console.log(mode, M, "send-phase msg/s", Math.round(M / med(tsend) * 1000), "delivered msg/s", Math.round(M / med(ttot) * 1000));
pub.close(); sub.close();
