import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askForText } from '../../src/conversation/texts.ts';
import { metaEnvelope, metaMedia } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// No AI configured: a voice note is answered with the polite request to write, and its media is not
// even downloaded (nothing could read it).

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p?.stop();
});

describe('a voice note with no AI configured', () => {
  it('gets the polite ask-for-text reply, without fetching the audio', async () => {
    const to = '573009900001';
    p.graph.addMedia('media-no-ai', randomBytes(3000), 'audio/ogg; codecs=opus');
    const res = await p.postMeta(metaEnvelope([metaMedia({ from: to, id: 'wamid.voice.no-ai', type: 'audio', mediaId: 'media-no-ai', mimeType: 'audio/ogg; codecs=opus', voice: true })]));
    expect(res.status).toBe(200);
    expect(await until(() => p.graph.sent.some((s) => (s.body as { to?: string }).to === to))).toBe(true);
    const reply = p.graph.sent.find((s) => (s.body as { to?: string }).to === to)!;
    expect((reply.body as { text?: { body: string } }).text?.body).toBe((askForText('nota de voz') as { text: string }).text);
    expect(p.graph.media).toHaveLength(0);
    const [row] = await p.db.sql`SELECT text, details->>'mediaOutcome' AS outcome FROM inbound_messages WHERE provider_message_id = 'wamid.voice.no-ai'`;
    expect(row).toEqual({ text: null, outcome: 'not_configured' });
  });
});
