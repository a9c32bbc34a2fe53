import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  auth: string | undefined;
  body: unknown;
  /** The message id the fake answered with (sends only). */
  responseId?: string;
}

export interface FakeFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeGraph {
  url: string;
  port: number;
  /** Sends (bodies with a recipient), in the order they arrived. */
  sent: RecordedCall[];
  /** Read receipts and typing indicators (no recipient). */
  receipts: RecordedCall[];
  /** The next n sends answer with this failure instead of success. */
  failNext: (n: number, failure: FakeFailure) => void;
  /** Hold every answer this long (a slow or hanging provider). */
  delay: (ms: number) => void;
  /** Sockets closed by the client before the answer (what a timeout's abort looks like from here). */
  aborted: () => number;
  close: () => Promise<void>;
}

/** A fake WhatsApp Cloud API on loopback that answers like Meta does (`/v21.0/{phone-number-id}/messages`). */
export async function startFakeGraph(): Promise<FakeGraph> {
  const sent: RecordedCall[] = [];
  const receipts: RecordedCall[] = [];
  const failures: FakeFailure[] = [];
  let holdMs = 0;
  let aborted = 0;
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      res.on('close', () => { if (!res.writableEnded) aborted++; });
      if (holdMs) await new Promise((r) => setTimeout(r, holdMs));
      if (res.destroyed) return;
      let body: unknown = null;
      try { body = JSON.parse(raw); } catch {}
      const call: RecordedCall = { at: performance.now(), method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body };
      const isSend = typeof body === 'object' && body !== null && 'to' in body;
      if (!isSend) {
        receipts.push(call);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"success":true}');
      }
      const failure = failures.shift();
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
        return res.end(JSON.stringify(failure.body ?? {}));
      }
      call.responseId = `wamid.out${++n}`;
      sent.push(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: (body as { to: string }).to, wa_id: (body as { to: string }).to }], messages: [{ id: call.responseId }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    port,
    sent,
    receipts,
    failNext: (count, failure) => { for (let i = 0; i < count; i++) failures.push(failure); },
    delay: (ms) => { holdMs = ms; },
    aborted: () => aborted,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
