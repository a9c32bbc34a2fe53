import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askForText, humanRequested } from '../../src/conversation/texts.ts';
import type { UploadedFile } from '../support/fake-openai-media.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { metaEnvelope, metaMedia } from '../support/meta-payloads.ts';
import { ACCESS_TOKEN, startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';
import { GRAPH_API_VERSION } from '../../src/whatsapp/meta/graph-version.ts';

// Voice notes and pictures through the whole pipeline: a signed Meta webhook in, the media fetched from
// the fake Graph API, read by the real `openai` client against a fake OpenAI, the reply out to Graph.

let p: Pipeline;
let openai: FakeOpenAi;
let n = 0;
const MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  p = await startPipeline({ env: { OPENAI_API_KEY: 'sk-media', OPENAI_BASE_URL: openai.url, MEDIA_MAX_BYTES: String(MAX_BYTES) } });
  // should the conversation ask the AI about the words, it agrees with them
  openai.reply((body) => {
    const [system, ...rest] = body.messages as { content: unknown }[];
    if (!String(system.content).startsWith('Clasificas')) return 'Es una gorra negra con visera.';
    const words = JSON.stringify(rest);
    return JSON.stringify({ intent: words.includes('asesor') ? 'human_agent' : 'unknown', entities: {}, confidence: 0.9 });
  });
});
afterAll(async () => {
  await p?.stop();
  await openai?.close();
});

const phone = () => `5730077${String(++n).padStart(5, '0')}`;
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const textOf = (s: { body: unknown }) => (s.body as { text?: { body: string } }).text?.body;
const rowOf = async (wamid: string) =>
  (await p.db.sql<{ text: string | null; details: Record<string, unknown>; status: string }[]>`SELECT text, details, status FROM inbound_messages WHERE provider_message_id = ${wamid}`)[0];
const transcriptions = () => openai.requests.filter((r) => r.path === '/v1/audio/transcriptions');

async function sendVoiceNote(to: string, bytes: Buffer, transcript: string) {
  const mediaId = `media-${to}`;
  const wamid = `wamid.voice.${to}`;
  p.graph.addMedia(mediaId, bytes, 'audio/ogg; codecs=opus');
  openai.transcript((file) => (file.size === bytes.length ? transcript : 'otro audio'));
  expect((await p.postMeta(metaEnvelope([metaMedia({ from: to, id: wamid, type: 'audio', mediaId, mimeType: 'audio/ogg; codecs=opus', voice: true })]))).status).toBe(200);
  return { mediaId, wamid };
}

describe('a voice note', () => {
  it('is transcribed and answered like the words it says: "quiero hablar con un asesor" gets a person', async () => {
    const to = phone();
    const bytes = randomBytes(6000);
    const { mediaId, wamid } = await sendVoiceNote(to, bytes, 'quiero hablar con un asesor');
    expect(await until(() => sentTo(to).length === 1)).toBe(true);
    expect(textOf(sentTo(to)[0])).toBe((humanRequested() as { text: string }).text);

    // fetched in Meta's two steps with the bearer token, and uploaded as it came
    const fetches = p.graph.media.filter((c) => c.path.includes(mediaId));
    expect(fetches.map((c) => [c.path.split('?')[0], c.auth])).toEqual([[`/${GRAPH_API_VERSION}/${mediaId}`, `Bearer ${ACCESS_TOKEN}`], ['/whatsapp_business/attachments/', `Bearer ${ACCESS_TOKEN}`]]);
    const upload = transcriptions().find((r) => (r.body!.file as UploadedFile).size === bytes.length)!;
    expect((upload.body!.file as UploadedFile).bytes.equals(bytes)).toBe(true);
    expect(upload.body).toMatchObject({ model: 'gpt-4o-mini-transcribe', language: 'es' });

    // the words are on the row and in the log; the bytes and the short-lived URL are nowhere
    const row = await rowOf(wamid);
    expect(row.text).toBe('quiero hablar con un asesor');
    expect(row.details).toMatchObject({ transcript: 'quiero hablar con un asesor', mediaOutcome: 'transcribed', mediaReadBy: 'openai', media: { id: mediaId } });
    expect(JSON.stringify(row.details)).not.toContain('attachments');
    const [log] = await p.db.sql`SELECT l.message_text FROM message_logs l JOIN inbound_messages i ON i.id = l.inbound_id WHERE i.provider_message_id = ${wamid}`;
    expect(log.message_text).toBe('quiero hablar con un asesor');
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM ai_calls WHERE purpose = 'transcription' AND outcome = 'ok'`).length >= 1)).toBe(true);
  });

  it('too large to fetch: not downloaded, nothing stored, and the customer is asked to write', async () => {
    const to = phone();
    const before = transcriptions().length;
    const { mediaId, wamid } = await sendVoiceNote(to, randomBytes(MAX_BYTES + 1), 'no debería oírse');
    expect(await until(() => sentTo(to).length === 1)).toBe(true);
    expect(textOf(sentTo(to)[0])).toBe((askForText('nota de voz') as { text: string }).text);
    expect(p.graph.media.filter((c) => c.path.includes(mediaId)).map((c) => c.path)).toEqual([`/${GRAPH_API_VERSION}/${mediaId}`]); // the lookup only
    expect(transcriptions().length).toBe(before);
    const row = await rowOf(wamid);
    expect(row.text).toBeNull();
    expect(row.details.mediaOutcome).toBe('too_large');
    expect(row.details).not.toHaveProperty('transcript');
  });
});

describe('a picture', () => {
  it('is described for the conversation, and keeps its caption as the text', async () => {
    const to = phone();
    const wamid = `wamid.photo.${to}`;
    p.graph.addMedia(`photo-${to}`, randomBytes(5000), 'image/jpeg');
    await p.postMeta(metaEnvelope([metaMedia({ from: to, id: wamid, type: 'image', mediaId: `photo-${to}`, mimeType: 'image/jpeg', caption: 'la tienen en azul?' })]));
    expect(await until(() => sentTo(to).length >= 1)).toBe(true);
    const row = await rowOf(wamid);
    expect(row.text).toBe('la tienen en azul?');
    expect(row.details).toMatchObject({ imageDescription: 'Es una gorra negra con visera.', mediaOutcome: 'described', mediaReadBy: 'openai' });
    const vision = openai.requests.find((r) => JSON.stringify(r.body?.messages ?? '').includes('data:image/jpeg;base64,'));
    expect(JSON.stringify(vision!.body!.messages)).toContain('la tienen en azul?');
  });
});
