/**
 * BUGGY variant of kernel-client.ts: the send chain does not wait for the sends it issues.
 *
 * Follows https://github.com/microsoft/vscode-jupyter, src/kernels/raw/session/rawSocket.node.ts,
 * `sendMessage` and `postToSocket`: each message is appended to `sendChain` with
 * `.then(() => { this.postToSocket(...) })`, and `postToSocket` calls `socket.send(data)` without
 * awaiting it (only `.catch` to log), then `this.sendChain.catch(noop)`.
 *
 * Concurrency kept: as kernel-client.ts (three reader loops, two ROUTER loops and a PUBLISHER on the
 * kernel side, the same shutdown), except that the chain orders only the calls to `send`, not
 * their completions, so the sends of a burst of messages overlap on the shell DEALER. The client
 * gives up on a reply after `timeoutMs`, and a kernel that never got its shutdown request is
 * stopped from outside, so the program ends either way.
 *
 * What goes wrong on the real binding, and when: the sends of one burst run in one loop turn;
 * zeromq.js completes 512 sends in a row at once, defers the 513th to the next turn, and throws
 * EBUSY synchronously from the 514th `send` ("Socket is busy writing"). That throw happens inside
 * a `.then` callback, so that link of the chain rejects; every later link is skipped, and the
 * rejection is swallowed by `sendChain.catch(noop)`. From then on every message on every channel
 * is silently dropped: the cells never run, and the shutdown request is never sent. A burst of
 * fewer than 514 messages survives; with a send that has to wait (no peer yet, high-water mark)
 * the second message of any burst already fails.
 */
import type { MessageLike } from "zeromq";
import { KernelClient, runWith, type KernelClientOptions, type KernelClientResult } from "./kernel-client.js";

class UnawaitedSendClient extends KernelClient {
  protected override post(channel: "shell" | "control", frames: MessageLike[]): Promise<void> {
    // BUG: the chain runs `send` but does not wait for it to complete.
    this.sendChain = this.sendChain.then(() => {
      this.channels[channel].send(frames).catch(() => undefined);
    });
    this.sendChain.catch(() => undefined);
    // As `sendMessage` returns nothing, callers go on at once.
    return Promise.resolve();
  }
}

export async function run(options: KernelClientOptions = {}): Promise<KernelClientResult> {
  return runWith((at, timeoutMs) => new UnawaitedSendClient(at, timeoutMs), { comms: 600, timeoutMs: 50, ...options });
}
