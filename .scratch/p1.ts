import * as zmq from "zeromq";

async function main() {
  const kind = process.argv[2] ?? "C";
  const K = Number(process.argv[3] ?? 1);
  const size = Number(process.argv[4] ?? 16);
  const nsub = Number(process.argv[5] ?? 1);
  const tr = process.argv[6] ?? "inproc";
  const ctx = new zmq.Context();
  const pub = kind === "C" ? new zmq.Publisher({ context: ctx, sendHighWaterMark: 0 }) : new zmq.XPublisher({ context: ctx, sendHighWaterMark: 0, verbosity: "allSubsUnsubs" } as any);
  const ep = tr === "inproc" ? "inproc://x" : "tcp://127.0.0.1:*";
  await pub.bind(ep);
  const addr = tr === "inproc" ? ep : pub.lastEndpoint!;
  const counts: number[] = [];
  const subs: zmq.Subscriber[] = [];
  let waiters: (() => void)[] = [];
  let target = Infinity;
  for (let i = 0; i < nsub; i++) {
    const s = new zmq.Subscriber({ context: ctx, receiveHighWaterMark: 0 });
    s.connect(addr); s.subscribe("");
    subs.push(s); counts.push(0);
    (async () => { let n=0; for await (const [m] of s) { counts[i]!++; n++; if (process.env.CHURN && n % 64 === 0) { if ((n/64)%2) s.subscribe("churn"+i); else s.unsubscribe("churn"+i);} if (counts.every(c => c >= target)) { const w = waiters; waiters = []; w.forEach(f => f()); } } })();
  }
  let events = 0;
  if (kind === "A") { (async () => { for await (const [e] of pub as zmq.XPublisher) events++; })(); }
  // join
  while (counts.some(c => c === 0)) { await pub.send("j"); await new Promise(r => setTimeout(r, 1)); }
  await new Promise(r => setTimeout(r, 50));
  if (kind === "B") { while ((pub as zmq.XPublisher).readable) { await (pub as zmq.XPublisher).receive(); events++; } }
  const msg = Buffer.alloc(size, 100);
  const M = 2000;
  const xp = pub as zmq.XPublisher;
  const results: number[] = [];
  for (let it = 0; it < 60; it++) {
    const base = counts.map(c => c);
    const t0 = performance.now();
    target = Math.min(...base) + M;
    const done = new Promise<void>(r => waiters.push(r));
    if (kind === "B") {
      for (let i = 0; i < M; i++) { await pub.send(msg); if ((i + 1) % K === 0) { while (xp.readable) { await xp.receive(); events++; } } }
    } else {
      for (let i = 0; i < M; i++) await pub.send(msg);
    }
    await done;
    results.push(performance.now() - t0);
  }
  results.sort((a, b) => a - b);
  const med = results[results.length >> 1]!;
  console.log(kind, K, size, nsub, tr, Math.round(M / med * 1000), "msg/s", "p10", Math.round(M/results[6]!*1000), "p90", Math.round(M/results[54]!*1000), "events", events);
  pub.close(); subs.forEach(s => s.close());
}
main();
