import type { Config } from '../config/load.ts';
import { acceptedType } from './allowed-types.ts';
import { MediaError } from './errors.ts';
import { fetchMetaMedia } from './meta-media.ts';
import { fetchWhapiMedia } from './whapi-media.ts';
import type { FetchedMedia } from './fetched-media.ts';

export type { FetchedMedia } from './fetched-media.ts';

/** Enough of an inbound row to find its media: who delivered it, and the normaliser's details.media. */
export interface MediaMessage {
  provider: string;
  details: Record<string, unknown>;
}

/** The bytes of the message's media, if of an `allowed` type and within the size limit; MediaError otherwise. */
export type MediaFetcher = (message: MediaMessage, allowed: readonly string[]) => Promise<FetchedMedia>;

// the URLs have defaults, so they are always set (the schema types them optional)
export type MediaEnv = Pick<Config, 'META_GRAPH_URL' | 'META_ACCESS_TOKEN' | 'WHAPI_API_URL' | 'WHAPI_TOKEN' | 'MEDIA_MAX_BYTES' | 'MEDIA_DOWNLOAD_TIMEOUT_MS'>;

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function createMediaFetcher(env: MediaEnv): MediaFetcher {
  const limits = { maxBytes: env.MEDIA_MAX_BYTES, timeoutMs: env.MEDIA_DOWNLOAD_TIMEOUT_MS };
  return async ({ provider, details }, allowed) => {
    const part = typeof details.media === 'object' && details.media !== null ? (details.media as Record<string, unknown>) : {};
    const media = { id: text(part.id), link: text(part.link), mimeType: text(part.mimeType) };
    switch (provider) {
      case 'meta': {
        if (!env.META_ACCESS_TOKEN) throw new MediaError('not_configured', 'META_ACCESS_TOKEN is not set');
        if (!media.id) throw new MediaError('download_failed', 'the message names no media id');
        // the webhook's type is checked too, so a refused type costs no request at all
        if (media.mimeType) acceptedType(media.mimeType, allowed);
        return fetchMetaMedia(media.id, allowed, { graphUrl: env.META_GRAPH_URL!, accessToken: env.META_ACCESS_TOKEN, ...limits });
      }
      case 'whapi':
        return fetchWhapiMedia(media, allowed, { apiUrl: env.WHAPI_API_URL!, token: env.WHAPI_TOKEN, ...limits });
      default:
        throw new MediaError('not_configured', `no way to fetch media from provider ${provider}`);
    }
  };
}
