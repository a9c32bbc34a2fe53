import { MediaError } from './errors.ts';

export interface DownloadOptions {
  headers?: Record<string, string>;
  /** Past this many bytes the download stops and MediaError('too_large') is thrown. */
  maxBytes: number;
  /** Aborts the request and the reading of the body (one deadline for the whole fetch). */
  signal: AbortSignal;
  /** What is being fetched, for error messages: never the URL, which may be signed or short-lived. */
  what: string;
}

export interface Downloaded {
  bytes: Uint8Array;
  contentType?: string;
}

const why = (error: unknown) =>
  error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : error instanceof Error ? error.message : String(error);

/**
 * GET into memory, refusing more than `maxBytes`: first by Content-Length (nothing read), then by
 * counting the bytes as they arrive (a server that sends no length, or lies about it, is cut off at the
 * limit rather than filling the heap). Everything short of the bytes is a MediaError.
 */
export async function downloadLimited(url: string, opts: DownloadOptions): Promise<Downloaded> {
  let res: Response;
  try {
    // redirects are followed; fetch drops the Authorization header when one leads to another origin
    res = await fetch(url, { headers: { 'user-agent': 'whatsapp-assistant', ...opts.headers }, signal: opts.signal });
  } catch (error) {
    throw new MediaError('download_failed', `${opts.what}: ${why(error)}`);
  }
  if (!res.ok) {
    const said = await res.text().then((t) => t.slice(0, 300), () => '');
    throw new MediaError('download_failed', `${opts.what}: HTTP ${res.status} ${said}`.trim());
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > opts.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new MediaError('too_large', `${opts.what}: ${declared} bytes, over the limit of ${opts.maxBytes}`);
  }
  return { bytes: await readAtMost(res, opts), contentType: res.headers.get('content-type') ?? undefined };
}

async function readAtMost(res: Response, { maxBytes, what }: DownloadOptions): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {}); // closes the connection: the rest is never read
        throw new MediaError('too_large', `${what}: more than ${maxBytes} bytes`);
      }
      chunks.push(r.value);
    }
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw new MediaError('download_failed', `${what}: ${why(error)}`);
  }
  return Buffer.concat(chunks);
}
