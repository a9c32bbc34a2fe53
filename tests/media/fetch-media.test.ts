import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIO_TYPES, IMAGE_TYPES, baseMimeType } from '../../src/media/allowed-types.ts';
import { createMediaFetcher, type MediaEnv } from '../../src/media/fetch-media.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts';
import { startFakeFileHost, type FakeFileHost } from '../support/media-files.ts';
import { startFakeWhapi, type FakeWhapi } from '../support/fake-whapi.ts';
import { GRAPH_API_VERSION } from '../../src/whatsapp/meta/graph-version.ts';

// Fetching media from the providers, against fakes that speak their wire formats: Meta's two steps with
// the bearer token, Whapi's links, and every limit (size, type, checksum, time).

const TOKEN = 'meta-media-token';
const WHAPI_TOKEN = 'whapi-media-token';
let graph: FakeGraph;
let whapi: FakeWhapi;
let storage: FakeFileHost;
beforeAll(async () => {
  [graph, whapi, storage] = await Promise.all([startFakeGraph({ accessToken: TOKEN }), startFakeWhapi({ token: WHAPI_TOKEN }), startFakeFileHost()]);
});
afterAll(async () => {
  await Promise.all([graph?.close(), whapi?.close(), storage?.close()]);
});

const env = (o: Partial<MediaEnv> = {}): MediaEnv => ({
  META_GRAPH_URL: graph.url, META_ACCESS_TOKEN: TOKEN, WHAPI_API_URL: whapi.url, WHAPI_TOKEN,
  MEDIA_MAX_BYTES: 64 * 1024, MEDIA_DOWNLOAD_TIMEOUT_MS: 2000, ...o,
});
const metaVoice = (id: string, mimeType = 'audio/ogg; codecs=opus') => ({ provider: 'meta', details: { media: { id, mimeType, voice: true } } });
const voiceBytes = (n = 4000) => randomBytes(n);
const callsFor = (id: string) => graph.media.filter((c) => c.path.includes(encodeURIComponent(id)));

describe('Meta media', () => {
  it('looks the id up, then downloads the short-lived URL, both with the bearer token', async () => {
    const bytes = voiceBytes();
    graph.addMedia('m-ok', bytes, 'audio/ogg; codecs=opus');
    const media = await createMediaFetcher(env())(metaVoice('m-ok'), AUDIO_TYPES);
    expect(Buffer.from(media.bytes).equals(bytes)).toBe(true);
    expect(media.mimeType).toBe('audio/ogg');
    const [lookup, download] = callsFor('m-ok');
    expect(lookup.path).toBe(`/${GRAPH_API_VERSION}/m-ok`);
    expect(download.path).toMatch(/^\/whatsapp_business\/attachments\/\?mid=m-ok&ext=\d+&hash=/);
    expect([lookup.auth, download.auth]).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('accepts the checksum in base64 as well as hex, and a file_size sent as a string', async () => {
    const bytes = voiceBytes();
    graph.addMedia('m-b64', bytes, 'audio/ogg', { sha256: createHash('sha256').update(bytes).digest('base64'), fileSize: String(bytes.length) });
    expect((await createMediaFetcher(env())(metaVoice('m-b64'), AUDIO_TYPES)).bytes.length).toBe(bytes.length);
  });

  it('refuses media over the limit by file_size, without downloading it', async () => {
    graph.addMedia('m-big', voiceBytes(70 * 1024), 'audio/ogg');
    await expect(createMediaFetcher(env())(metaVoice('m-big'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'too_large' });
    expect(callsFor('m-big')).toHaveLength(1); // the lookup only
  });

  it('stops a download that runs past the limit when the size was understated and no length is sent', async () => {
    graph.addMedia('m-liar', voiceBytes(200 * 1024), 'audio/ogg', { fileSize: 1000, chunked: true });
    await expect(createMediaFetcher(env())(metaVoice('m-liar'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'too_large', message: expect.stringContaining('more than 65536 bytes') });
  });

  it('refuses a type outside the list: by the webhook before any request, by the lookup before the download', async () => {
    graph.addMedia('m-video', voiceBytes(), 'video/mp4');
    await expect(createMediaFetcher(env())(metaVoice('m-video', 'video/mp4'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'type_refused' });
    expect(callsFor('m-video')).toHaveLength(0);
    await expect(createMediaFetcher(env())({ provider: 'meta', details: { media: { id: 'm-video' } } }, AUDIO_TYPES)).rejects.toMatchObject({ problem: 'type_refused' });
    expect(callsFor('m-video')).toHaveLength(1);
    // an audio row's bytes must be audio, a picture's a picture
    graph.addMedia('m-png', voiceBytes(), 'image/png');
    await expect(createMediaFetcher(env())({ provider: 'meta', details: { media: { id: 'm-png' } } }, AUDIO_TYPES)).rejects.toMatchObject({ problem: 'type_refused' });
    expect((await createMediaFetcher(env())({ provider: 'meta', details: { media: { id: 'm-png' } } }, IMAGE_TYPES)).mimeType).toBe('image/png');
  });

  it('refuses bytes whose sha256 is not the one Meta gave', async () => {
    graph.addMedia('m-sha', voiceBytes(), 'audio/ogg', { sha256: createHash('sha256').update('something else').digest('hex') });
    await expect(createMediaFetcher(env())(metaVoice('m-sha'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'download_failed', message: expect.stringContaining('sha256') });
  });

  it('reports an unknown media id, a wrong token and a provider that does not answer in time as download failures', async () => {
    await expect(createMediaFetcher(env())(metaVoice('m-missing'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'download_failed', message: expect.stringContaining('HTTP 400') });
    graph.addMedia('m-auth', voiceBytes(), 'audio/ogg');
    await expect(createMediaFetcher(env({ META_ACCESS_TOKEN: 'wrong' }))(metaVoice('m-auth'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'download_failed', message: expect.stringContaining('HTTP 401') });
    graph.delay(1000);
    try {
      const started = performance.now();
      await expect(createMediaFetcher(env({ MEDIA_DOWNLOAD_TIMEOUT_MS: 200 }))(metaVoice('m-auth'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'download_failed', message: expect.stringContaining('no answer in time') });
      expect(performance.now() - started).toBeLessThan(900);
    } finally {
      graph.delay(0);
    }
  });

  it('is not configured without an access token, nor for the sandbox', async () => {
    await expect(createMediaFetcher(env({ META_ACCESS_TOKEN: undefined }))(metaVoice('m-ok'), AUDIO_TYPES)).rejects.toMatchObject({ problem: 'not_configured' });
    await expect(createMediaFetcher(env())({ provider: 'sandbox', details: { media: { id: 'x' } } }, AUDIO_TYPES)).rejects.toMatchObject({ problem: 'not_configured' });
  });
});

describe('Whapi media', () => {
  it('sends the Whapi token to a link on WHAPI_API_URL, and to no other host', async () => {
    const bytes = voiceBytes();
    const own = whapi.addMedia('oga-1', bytes, 'audio/ogg');
    const fetched = await createMediaFetcher(env())({ provider: 'whapi', details: { media: { id: 'oga-1', link: own, mimeType: 'audio/ogg; codecs=opus' } } }, AUDIO_TYPES);
    expect(Buffer.from(fetched.bytes).equals(bytes)).toBe(true);
    expect(whapi.media.at(-1)?.auth).toBe(`Bearer ${WHAPI_TOKEN}`);

    const elsewhere = storage.add('/in-files/oga-2.oga', { bytes, mimeType: 'binary/octet-stream' });
    await createMediaFetcher(env())({ provider: 'whapi', details: { media: { id: 'oga-2', link: elsewhere, mimeType: 'audio/ogg' } } }, AUDIO_TYPES);
    expect(storage.requests.at(-1)).toEqual({ path: '/in-files/oga-2.oga', auth: undefined });
  });

  it('fetches GET /media/{id} from the gate when the message has no link', async () => {
    whapi.addMedia('img-3', voiceBytes(), 'image/jpeg');
    const fetched = await createMediaFetcher(env())({ provider: 'whapi', details: { media: { id: 'img-3' } } }, IMAGE_TYPES);
    expect(fetched.mimeType).toBe('image/jpeg'); // from the response, since the message said nothing
    expect(whapi.media.at(-1)).toMatchObject({ path: '/media/img-3', auth: `Bearer ${WHAPI_TOKEN}` });
  });

  it('applies the same limits: size by Content-Length and by stream, type, and a missing file', async () => {
    const fetch = createMediaFetcher(env());
    const big = storage.add('/big.oga', { bytes: voiceBytes(70 * 1024), mimeType: 'audio/ogg' });
    await expect(fetch({ provider: 'whapi', details: { media: { link: big } } }, AUDIO_TYPES)).rejects.toMatchObject({ problem: 'too_large' });
    const endless = storage.add('/stream.oga', { bytes: voiceBytes(300 * 1024), mimeType: 'audio/ogg', chunked: true });
    await expect(fetch({ provider: 'whapi', details: { media: { link: endless } } }, AUDIO_TYPES)).rejects.toMatchObject({ problem: 'too_large' });
    const pdf = storage.add('/doc.pdf', { bytes: voiceBytes(), mimeType: 'application/pdf' });
    await expect(fetch({ provider: 'whapi', details: { media: { link: pdf } } }, IMAGE_TYPES)).rejects.toMatchObject({ problem: 'type_refused' });
    await expect(fetch({ provider: 'whapi', details: { media: { link: `${storage.url}/gone.oga` } } }, AUDIO_TYPES)).rejects.toMatchObject({ problem: 'download_failed' });
  });
});

describe('allowed types', () => {
  it('strips parameters and case before comparing', () => {
    expect(baseMimeType('Audio/OGG; codecs=opus')).toBe('audio/ogg');
  });
});
