// A service as users write it: it imports zeromq itself.
import { Pull, Push } from "zeromq";

/** Two handlers on one Pull: the second receive overlaps the first (busy-recv). */
export async function twoHandlers(address: string): Promise<void> {
  const pull = new Pull({ linger: 0 });
  await pull.bind(address);
  const push = new Push({ linger: 0 });
  push.connect(address);
  const handle = async (): Promise<void> => void (await pull.receive());
  const handlers = [handle(), handle()];
  await push.send("a");
  await push.send("b");
  await Promise.all(handlers);
  push.close();
  pull.close();
}
