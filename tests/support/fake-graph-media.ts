import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { serveFile, type ServedFile } from './media-files.ts';

// The Graph API's media side, for the fake Graph server: GET /{version}/{media-id} answers what Meta
// answers ({messaging_product, url, mime_type, sha256, file_size, id}); the URL, on the same server like
// Meta's lookaside host, gives the bytes for five minutes to a request with the bearer token (the
// fake checks the token before it gets here).

export interface GraphMediaOptions {
  /** What the lookup says the checksum is (default: the real sha256, hex). */
  sha256?: string;
  /** What the lookup says the size is (default: the real size). Meta sends a number or a numeric string. */
  fileSize?: number | string;
  /** Send the bytes in chunks without Content-Length. */
  chunked?: boolean;
}

type Answer = (status: number, json: unknown) => void;
type ErrorBody = (code: number, message: string) => unknown;

export function createGraphMedia(origin: () => string, errorBody: ErrorBody) {
  const store = new Map<string, ServedFile & { sha256: string; fileSize: number | string }>();
  const hash = randomBytes(8).toString('hex');

  return {
    add: (id: string, bytes: Buffer, mimeType: string, opts: GraphMediaOptions = {}) => {
      const sha256 = opts.sha256 ?? createHash('sha256').update(bytes).digest('hex');
      store.set(id, { bytes, mimeType, chunked: opts.chunked, sha256, fileSize: opts.fileSize ?? bytes.length });
    },
    /** Answers a GET; false when the path is not a media path. */
    handle: (path: string, res: ServerResponse, answer: Answer): boolean => {
      const lookup = /^\/v\d+\.\d+\/([^/?]+)$/.exec(path);
      if (lookup) {
        const id = decodeURIComponent(lookup[1]);
        const media = store.get(id);
        if (!media) {
          answer(400, errorBody(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`));
          return true;
        }
        const ext = Math.floor(Date.now() / 1000) + 300;
        const url = `${origin()}/whatsapp_business/attachments/?mid=${encodeURIComponent(id)}&ext=${ext}&hash=${hash}`;
        answer(200, { messaging_product: 'whatsapp', url, mime_type: media.mimeType, sha256: media.sha256, file_size: media.fileSize, id });
        return true;
      }
      const download = /^\/whatsapp_business\/attachments\/\?(.*)$/.exec(path);
      if (!download) return false;
      const query = new URLSearchParams(download[1]);
      const media = store.get(query.get('mid') ?? '');
      if (!media || query.get('hash') !== hash || Number(query.get('ext')) < Date.now() / 1000) {
        answer(404, errorBody(100, 'URL signature expired or invalid'));
        return true;
      }
      void serveFile(res, media);
      return true;
    },
  };
}
