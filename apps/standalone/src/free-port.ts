import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** How many ports below the kernel's ephemeral range we pick from. */
const SPAN = 10_000;
/** Ports this process has handed out: never twice, even once they are free again. */
const handedOut = new Set<number>();

/**
 * The lowest port the kernel hands out for outgoing connections and `listen(0)` (Linux), or
 * undefined elsewhere.
 */
function ephemeralLow(): number | undefined {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > SPAN + 1024 ? low : undefined;
  } catch {
    return undefined;
  }
}

function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A free TCP port on the loopback interface (never assume 5432: a real server may hold it).
 *
 * The port is handed to a child that binds it a moment later. A port from the kernel's
 * ephemeral range can be taken in that moment by any outgoing connection on the host (a
 * busy test run opens thousands), so on Linux the port comes from just below that range,
 * where the kernel never picks one by itself; elsewhere `listen(0)` chooses.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low !== undefined) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidate = low - 1 - Math.floor(Math.random() * SPAN);
      if (handedOut.has(candidate)) continue;
      const port = await bindable(candidate);
      if (port !== undefined) {
        handedOut.add(port);
        return port;
      }
    }
  }
  for (;;) {
    const port = await bindable(0);
    if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
