import type { ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.ts';

// Media bytes as the fakes serve them: with the content type and length a file server sends, or in
// chunks with no length at all (a server that does not say, or a stream that runs on), so tests can
// check both of the downloader's size limits.

export interface ServedFile {
  bytes: Buffer;
  mimeType: string;
  /** Send in chunks without Content-Length. */
  chunked?: boolean;
}

export async function serveFile(res: ServerResponse, file: ServedFile): Promise<void> {
  if (!file.chunked) {
    res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
    return;
  }
  res.writeHead(200, { 'content-type': file.mimeType });
  for (let i = 0; i < file.bytes.length && !res.destroyed; i += 16 * 1024) {
    // wait while the client reads; one that hung up (a download cut off at its limit) ends the loop
    if (!res.write(file.bytes.subarray(i, i + 16 * 1024))) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
  }
  res.end();
}

export interface FileRequest {
  path: string;
  auth: string | undefined;
}

export interface FakeFileHost {
  /** Origin, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Every request, with the Authorization header it carried (a token here has leaked). */
  requests: FileRequest[];
  /** Serve bytes at `path`; returns the full URL. */
  add: (path: string, file: ServedFile) => string;
  close: () => Promise<void>;
}

/** A plain file host on another origin (like the storage Whapi links point to): no auth, 404 for unknown paths. */
export async function startFakeFileHost(): Promise<FakeFileHost> {
  const files = new Map<string, ServedFile>();
  const requests: FileRequest[] = [];
  const srv = await startLoopbackServer(async (req, res) => {
    const path = req.url ?? '';
    requests.push({ path, auth: req.headers.authorization });
    const file = req.method === 'GET' ? files.get(path) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    await serveFile(res, file);
  });
  const url = `http://127.0.0.1:${srv.port}`;
  return {
    url,
    requests,
    add: (path, file) => {
      files.set(path, file);
      return `${url}${path}`;
    },
    close: srv.close,
  };
}
