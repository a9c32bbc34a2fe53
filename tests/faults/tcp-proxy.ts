import { createServer, connect, type Socket } from 'node:net';

export interface CuttableProxy {
  port: number;
  /** Drop every open connection and refuse new ones: the dependency is "down". */
  cut: () => void;
  restore: () => void;
  /**
   * Stop carrying bytes on every connection open now, and keep them open: to the client each looks
   * alive, yet nothing it writes arrives and nothing comes back (a dead NAT or load-balancer path, or a
   * client library holding a socket the server has forgotten). New connections are carried as before.
   */
  freezeOpen: () => void;
  close: () => Promise<void>;
}

/** A TCP proxy on loopback in front of a real server (PostgreSQL here), so a test can take it away and back. */
export async function startCuttableProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<CuttableProxy> {
  let down = false;
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); pairs.delete(pair); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => { down = true; for (const s of sockets) s.destroy(); sockets.clear(); },
    restore: () => { down = false; },
    freezeOpen: () => {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        // read and drop whatever still comes, so neither side sees back-pressure either
        client.on('data', () => {});
        upstream.on('data', () => {});
      }
      pairs.clear();
    },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
