import type { PendingRecord } from "../guard/pending.js";
import type { SocketRecord } from "../guard/socket-record.js";
import type { Selector } from "../schedule/strategy.js";
import { racing } from "./held.js";

/** The two ways an arrival point can go (R25): a network receive's message had arrived when it was called (0), or was still on its way (1). */
const ARRIVED_OR_ON_ITS_WAY = [{ key: "arrived" }, { key: "on-its-way" }] as const;

/**
 * R25's arrival point (docs/binding-timing.md): whether a receive over the network (tcp, ipc,
 * through a proxy) found its message at once is the network's timing. The point is asked for
 * every such receive, so a replay meets the same points however the real timing went; the
 * scheduler uses the answer only for a receive that completed at once, when the program had not
 * just seen the socket readable. True: the message was still on its way (the receive waits).
 */
export function stillOnItsWay(selector: Selector, socket: SocketRecord, record: PendingRecord): boolean {
  if (record.kind !== "recv" || !racing(socket)) return false;
  return selector.select({ kind: "race", candidates: ARRIVED_OR_ON_ITS_WAY, current: -1 }) === 1;
}
