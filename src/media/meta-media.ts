import { createHash } from 'node:crypto';
import { acceptedType } from './allowed-types.ts';
import { downloadLimited } from './download.ts';
import { MediaError } from './errors.ts';
import type { FetchedMedia } from './fetched-media.ts';

export interface MetaMediaOptions {
  /** META_GRAPH_URL, with its version. */
  graphUrl: string;
  accessToken: string;
  maxBytes: number;
  timeoutMs: number;
}

/** The answer of GET {graph}/{media-id}. */
interface MediaInfo {
  url?: unknown;
  mime_type?: unknown;
  sha256?: unknown;
  file_size?: unknown;
}

/**
 * Meta's two steps: GET {graph}/{media-id} answers a URL valid for five minutes with the type, size and
 * checksum; GET that URL with the same bearer token gives the bytes. The type and size are checked
 * before the download, the checksum after it. The URL is used once and forgotten.
 */
export async function fetchMetaMedia(mediaId: string, allowed: readonly string[], o: MetaMediaOptions): Promise<FetchedMedia> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  const headers = { authorization: `Bearer ${o.accessToken}` };
  const what = `Meta media ${mediaId}`;
  const answer = await downloadLimited(`${o.graphUrl}/${encodeURIComponent(mediaId)}`, { headers, maxBytes: 64 * 1024, signal, what });
  let info: MediaInfo;
  try {
    info = JSON.parse(Buffer.from(answer.bytes).toString('utf8')) as MediaInfo;
  } catch {
    throw new MediaError('download_failed', `${what}: the media lookup did not answer JSON`);
  }
  if (typeof info?.url !== 'string') throw new MediaError('download_failed', `${what}: the media lookup gave no url`);
  const mimeType = acceptedType(typeof info.mime_type === 'string' ? info.mime_type : undefined, allowed);
  // file_size comes as a number or a numeric string
  const size = Number(info.file_size);
  if (size > o.maxBytes) throw new MediaError('too_large', `${what}: ${size} bytes, over the limit of ${o.maxBytes}`);

  const { bytes } = await downloadLimited(info.url, { headers, maxBytes: o.maxBytes, signal, what });
  if (typeof info.sha256 === 'string' && info.sha256 && !digestMatches(bytes, info.sha256)) {
    throw new MediaError('download_failed', `${what}: the bytes do not match the sha256 Meta gave`);
  }
  return { bytes, mimeType };
}

/** Meta writes the checksum in hex in some answers and base64 in others (the webhooks); either will do. */
function digestMatches(bytes: Uint8Array, expected: string): boolean {
  const digest = createHash('sha256').update(bytes).digest();
  return expected.toLowerCase() === digest.toString('hex') || expected === digest.toString('base64');
}
