/**
 * A Jupyter-style kernel client: three channels, three reader loops, one send chain.
 *
 * Follows https://github.com/microsoft/vscode-jupyter, src/kernels/raw/session/rawSocket.node.ts
 * (a SUBSCRIBER for iopub and DEALERs for shell and control, a `for await` reader started per
 * channel when it is made, a `sendChain` that orders outgoing messages, `close()` closing every
 * channel so the readers end), with the readiness loop of Jupyter clients (send
 * `kernel_info_request` until iopub shows a status, so the iopub subscription has joined).
 *
 * Concurrency kept: the client runs three loops at once, `readIopub`, `readShell` and
 * `readControl`, each the only reader of its socket; requests go out through one promise chain
 * that awaits each send (one send in flight at a time), and a request's reply waiter is
 * registered after its send resumes. The kernel side (in the same process) is a ROUTER for shell
 * and one for control, each with its own loop, and a PUBLISHER for iopub written only by the shell
 * loop. Shutdown order: the client sends `shutdown_request` on control; the kernel's control loop
 * replies and closes the kernel's three sockets (the kernel's loops end); the client then closes
 * its three sockets (its three loops end).
 */
import { randomUUID } from "node:crypto";
import { Dealer, Publisher, Router, Subscriber, type MessageLike } from "zeromq";

export interface KernelClientOptions {
  /** Code cells executed one after the other. Default ["1+1", "print(2)", "x = 3"]. */
  readonly cells?: readonly string[];
  /** Comm messages the client sends in one burst before the cells (no replies). Default 5. */
  readonly comms?: number;
  /** How long the client waits for a reply before giving up, ms. Default: for ever. */
  readonly timeoutMs?: number;
}

export interface KernelClientResult {
  /** The stream output of each cell, in cell order. */
  readonly outputs: readonly string[];
  /** The execution count of each cell's reply (or "timeout"). */
  readonly replies: readonly string[];
  /** Comm messages the kernel received. */
  readonly commsReceived: number;
}

type Channel = "shell" | "control";

/** The kernel: two ROUTER loops and a PUBLISHER. */
export class Kernel {
  readonly shell = new Router();
  readonly control = new Router();
  readonly iopub = new Publisher();
  commsReceived = 0;
  private executions = 0;

  async bind(id: string): Promise<{ shell: string; control: string; iopub: string }> {
    const at = { shell: `inproc://corpus-${id}-shell`, control: `inproc://corpus-${id}-control`, iopub: `inproc://corpus-${id}-iopub` };
    await Promise.all([this.shell.bind(at.shell), this.control.bind(at.control), this.iopub.bind(at.iopub)]);
    return at;
  }

  async serveShell(): Promise<void> {
    for await (const [peer, msgId, type, content] of this.shell) {
      if (peer === undefined || msgId === undefined) continue;
      switch (String(type)) {
        case "kernel_info_request":
          await this.iopub.send(["status", msgId, "idle"]);
          await this.shell.send([peer, msgId, "kernel_info_reply", "ok"]);
          break;
        case "execute_request":
          this.executions++;
          await this.iopub.send(["status", msgId, "busy"]);
          await this.iopub.send(["stream", msgId, `out: ${String(content)}`]);
          await this.iopub.send(["status", msgId, "idle"]);
          await this.shell.send([peer, msgId, "execute_reply", String(this.executions)]);
          break;
        case "comm_msg":
          this.commsReceived++;
          break;
      }
    }
  }

  async serveControl(): Promise<void> {
    for await (const [peer, msgId, type] of this.control) {
      if (peer === undefined || msgId === undefined) continue;
      if (String(type) === "shutdown_request") {
        await this.control.send([peer, msgId, "shutdown_reply", "ok"]);
        this.stop();
      }
    }
  }

  /** Closes the kernel's sockets; its loops end. */
  stop(): void {
    this.shell.close();
    this.control.close();
    this.iopub.close();
  }
}

/** The client: three sockets, three loops, one send chain. */
export class KernelClient {
  protected readonly channels: { readonly shell: Dealer; readonly control: Dealer };
  private readonly iopub = new Subscriber();
  private readonly replies = new Map<string, (reply: string) => void>();
  private readonly idle = new Map<string, () => void>();
  private readonly idleSeen = new Set<string>();
  private readonly outputs = new Map<string, string>();
  protected sendChain: Promise<unknown> = Promise.resolve();
  private statusSeen: () => void = () => undefined;
  private readonly iopubUp = new Promise<void>((resolve) => {
    this.statusSeen = resolve;
  });
  readonly reading: Promise<unknown>;
  private readonly timeoutMs: number | undefined;

  constructor(at: { shell: string; control: string; iopub: string }, timeoutMs?: number) {
    this.timeoutMs = timeoutMs;
    const routingId = randomUUID();
    this.channels = { shell: new Dealer({ routingId }), control: new Dealer({ routingId }) };
    this.channels.shell.connect(at.shell);
    this.channels.control.connect(at.control);
    this.iopub.connect(at.iopub);
    this.iopub.subscribe();
    this.reading = Promise.all([this.readIopub(), this.readShell(), this.readControl()]);
  }

  /** Queues `frames` on `channel`; resolves once they are handed to the socket. */
  protected post(channel: Channel, frames: MessageLike[]): Promise<void> {
    const sent = this.sendChain.then(() => this.channels[channel].send(frames));
    this.sendChain = sent.catch(() => undefined);
    return sent;
  }

  async request(channel: Channel, type: string, content = ""): Promise<string> {
    const msgId = randomUUID();
    await this.post(channel, [msgId, type, content]);
    const reply = new Promise<string>((resolve) => this.replies.set(msgId, resolve));
    return this.timeoutMs === undefined ? reply : this.orTimeout(reply, this.timeoutMs);
  }

  /** Sends kernel_info requests until iopub shows a status: the subscription has joined. */
  async waitForReady(probeMs = 5): Promise<void> {
    const answers: Promise<string>[] = [];
    let up = false;
    void this.iopubUp.then(() => {
      up = true;
    });
    while (!up) {
      answers.push(this.request("shell", "kernel_info_request"));
      await this.orTimeout(this.iopubUp, probeMs);
    }
    await Promise.all(answers);
  }

  async execute(code: string): Promise<{ output: string; reply: string }> {
    const msgId = randomUUID();
    await this.post("shell", [msgId, "execute_request", code]);
    const reply = new Promise<string>((resolve) => this.replies.set(msgId, resolve));
    const idle = new Promise<void>((resolve) => {
      if (this.idleSeen.has(msgId)) resolve();
      else this.idle.set(msgId, resolve);
    });
    const outcome = await (this.timeoutMs === undefined ? reply : this.orTimeout(reply, this.timeoutMs));
    if (outcome !== "timeout") await idle;
    return { output: this.outputs.get(msgId) ?? "", reply: outcome };
  }

  comm(data: string): Promise<void> {
    return this.post("shell", [randomUUID(), "comm_msg", data]);
  }

  close(): void {
    this.iopub.close();
    this.channels.shell.close();
    this.channels.control.close();
  }

  private async readIopub(): Promise<void> {
    for await (const [kind, msgId, text] of this.iopub) {
      const id = String(msgId);
      if (String(kind) === "stream") this.outputs.set(id, String(text));
      if (String(kind) === "status") {
        this.statusSeen();
        if (String(text) === "idle") {
          this.idleSeen.add(id);
          this.idle.get(id)?.();
        }
      }
    }
  }

  private async readShell(): Promise<void> {
    for await (const [msgId, , content] of this.channels.shell) this.settle(String(msgId), String(content));
  }

  private async readControl(): Promise<void> {
    for await (const [msgId, , content] of this.channels.control) this.settle(String(msgId), String(content));
  }

  private settle(msgId: string, content: string): void {
    const resolve = this.replies.get(msgId);
    this.replies.delete(msgId);
    resolve?.(content);
  }

  private async orTimeout<T>(pending: Promise<T>, ms: number): Promise<T | "timeout"> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    });
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs a kernel and `client`; shared by the correct program and its buggy variant. */
export async function runWith(makeClient: (at: { shell: string; control: string; iopub: string }, timeoutMs?: number) => KernelClient, options: KernelClientOptions): Promise<KernelClientResult> {
  const kernel = new Kernel();
  const at = await kernel.bind(randomUUID());
  const serving = Promise.all([kernel.serveShell(), kernel.serveControl()]);

  const client = makeClient(at, options.timeoutMs);
  await client.waitForReady();
  const comms = options.comms ?? 5;
  await Promise.all(Array.from({ length: comms }, (_, i) => client.comm(`slider ${i}`)));
  const outputs: string[] = [];
  const replies: string[] = [];
  for (const code of options.cells ?? ["1+1", "print(2)", "x = 3"]) {
    const { output, reply } = await client.execute(code);
    outputs.push(output);
    replies.push(reply);
  }
  const shutdown = await client.request("control", "shutdown_request");
  // A kernel that did not get its shutdown request is stopped from outside.
  if (shutdown === "timeout") kernel.stop();
  client.close();
  await Promise.all([client.reading, serving]);
  return { outputs, replies, commsReceived: kernel.commsReceived };
}

export async function run(options: KernelClientOptions = {}): Promise<KernelClientResult> {
  return runWith((at, timeoutMs) => new KernelClient(at, timeoutMs), options);
}
