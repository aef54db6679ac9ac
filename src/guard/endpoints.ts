/**
 * Which sockets of a run may exchange messages: two sockets are linked when one binds an
 * endpoint the other connects to (or binds and connects the same one). The completion
 * scheduler needs it to keep a receive behind the send of its message. When an address
 * cannot be told apart for sure (a tcp wildcard port before the bind has finished, a
 * hostname), the sockets count as linked: holding a receive too long only costs a few orders,
 * never a false alarm.
 */

/** The transport of an address: `inproc`, `tcp`, `ipc`, or `other`. */
export type AddressTransport = "inproc" | "tcp" | "ipc" | "other";

export function transportOf(address: string): AddressTransport {
  const m = /^([a-z0-9+.-]+):\/\//i.exec(address);
  const scheme = m?.[1]?.toLowerCase();
  return scheme === "inproc" || scheme === "tcp" || scheme === "ipc" ? scheme : "other";
}

/** A comparable form of an address: inproc and ipc by name, tcp by port (loopback only), `*` when a tcp port is not known yet. */
export function endpointKey(address: string): string {
  const transport = transportOf(address);
  if (transport === "tcp") {
    const port = /:(\d+|\*)\s*$/.exec(address)?.[1];
    return port === undefined || port === "*" || port === "0" ? "tcp:*" : `tcp:${port}`;
  }
  if (transport === "other") return "*";
  return address;
}

/** Do two sockets with these endpoint keys possibly exchange messages? */
export function mayLink(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x === y || x === "*" || y === "*") return true;
      if ((x === "tcp:*" && y.startsWith("tcp:")) || (y === "tcp:*" && x.startsWith("tcp:"))) return true;
    }
  }
  return false;
}
