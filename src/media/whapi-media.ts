import { acceptedType } from './allowed-types.ts';
import { downloadLimited } from './download.ts';
import { MediaError } from './errors.ts';
import type { FetchedMedia } from './fetched-media.ts';

export interface WhapiMediaOptions {
  /** WHAPI_API_URL: the only origin the token is ever sent to. */
  apiUrl: string;
  token?: string;
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Whapi puts a direct `link` in the message (usually on its file storage, which needs no token). The
 * bearer token goes with the request only when the link is on WHAPI_API_URL's own origin: a link is data
 * from a webhook, and the token must not follow it anywhere else. Without a link, the media id is fetched
 * from the gate's GET /media/{id}.
 */
export async function fetchWhapiMedia(
  media: { link?: string; id?: string; mimeType?: string },
  allowed: readonly string[],
  o: WhapiMediaOptions,
): Promise<FetchedMedia> {
  const what = `Whapi media ${media.id ?? ''}`.trim();
  const link = media.link ?? (media.id ? `${o.apiUrl.replace(/\/$/, '')}/media/${encodeURIComponent(media.id)}` : undefined);
  let url: URL;
  try {
    url = new URL(link ?? '');
  } catch {
    throw new MediaError('download_failed', `${what}: no usable link`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MediaError('download_failed', `${what}: link is not http(s)`);
  // the type the message declares is checked before anything is downloaded
  const declared = media.mimeType ? acceptedType(media.mimeType, allowed) : undefined;
  const ownOrigin = url.origin === new URL(o.apiUrl).origin;
  const headers: Record<string, string> = ownOrigin && o.token ? { authorization: `Bearer ${o.token}` } : {};
  const { bytes, contentType } = await downloadLimited(url.href, { headers, maxBytes: o.maxBytes, signal: AbortSignal.timeout(o.timeoutMs), what });
  return { bytes, mimeType: declared ?? acceptedType(contentType, allowed) };
}
