import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

// The plumbing every fake provider shares (Graph, Whapi, OpenAI, Gemini): an HTTP server on loopback
// that hands each request to the fake with its body read, counts requests the client hung up on
// before the answer (what an aborted timeout looks like from the server), and can hold answers to
// play a slow or hanging provider. Each fake keeps only its own wire format.

export interface LoopbackServer {
  port: number;
  /** Wait this long before answering (Infinity: until `release` or `close`). */
  hold: (ms: number) => Promise<void>;
  /** Let every held answer go now. */
  release: () => void;
  /** Requests whose client closed the connection before an answer was written. */
  aborted: () => number;
  close: () => Promise<void>;
}

/** `raw` is the body as text; `bytes` the same body untouched (multipart uploads carry binary files). */
export async function startLoopbackServer(handle: (req: IncomingMessage, res: ServerResponse, raw: string, bytes: Buffer) => Promise<void> | void): Promise<LoopbackServer> {
  const held = new Set<() => void>();
  let aborted = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.on('close', () => {
        if (!res.writableEnded) aborted++;
      });
      const bytes = Buffer.concat(chunks);
      void handle(req, res, bytes.toString('utf8'), bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => [...held].forEach((wake) => wake());
  return {
    port: (server.address() as { port: number }).port,
    hold: (ms) =>
      new Promise<void>((resolve) => {
        const wake = () => (clearTimeout(timer), held.delete(wake), resolve());
        const timer = ms === Infinity ? undefined : setTimeout(wake, ms);
        held.add(wake);
      }),
    release,
    aborted: () => aborted,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
