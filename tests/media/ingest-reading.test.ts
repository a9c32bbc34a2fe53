import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInbound } from '../../src/db/inbox.ts';
import type { MediaUnderstanding, UnderstandMedia } from '../../src/media/understand.ts';
import type { InboundMessage } from '../../src/whatsapp/types.ts';
import { ingest, type IngestDeps } from '../../workers/ingest.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// The ingest stage's media step on a real database: read once, stored in one guarded UPDATE, never
// read again on a re-run, and never the reason a job fails.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

let n = 0;
async function inbound(kind: 'audio' | 'image' | 'text', details: Record<string, unknown> = {}, text?: string): Promise<number> {
  const message: InboundMessage = {
    provider: 'meta', providerMessageId: `wamid.read.${++n}`, chatId: `57300111${String(n).padStart(4, '0')}`, sentAt: new Date(),
    kind, text, details: { media: { id: `m${n}`, mimeType: 'audio/ogg' }, ...details },
  };
  const [row] = await insertInbound(db.sql, [message]);
  return row.id;
}

function deps(answer: () => Promise<MediaUnderstanding>) {
  const calls: number[] = [];
  const understandMedia: UnderstandMedia = async (m) => {
    calls.push(m.id);
    return answer();
  };
  const d: IngestDeps = { sql: db.sql, checkRateLimit: async () => ({ allowed: true }), scheduleConverse: async () => {}, scheduleOutbound: async () => {}, understandMedia };
  return { d, calls };
}
const row = async (id: number) => (await db.sql<{ text: string | null; details: Record<string, unknown>; status: string }[]>`SELECT text, details, status FROM inbound_messages WHERE id = ${id}`)[0];
const logged = async (id: number) => (await db.sql`SELECT message_text FROM message_logs WHERE inbound_id = ${id}`).map((r) => r.message_text);

describe('ingest reads media once', () => {
  it('stores a transcript as the text and in details, and logs it', async () => {
    const id = await inbound('audio');
    const { d, calls } = deps(async () => ({ outcome: 'transcribed', text: 'dos camisas rojas', provider: 'openai' }));
    expect(await ingest({ inboundId: id }, d)).toMatchObject({ outcome: 'ingested' });
    expect(calls).toEqual([id]);
    expect(await row(id)).toMatchObject({ status: 'ingested', text: 'dos camisas rojas', details: { transcript: 'dos camisas rojas', mediaOutcome: 'transcribed', media: { id: expect.any(String) } } });
    expect(await logged(id)).toEqual(['dos camisas rojas']);
    // a re-run of a finished job does not read again
    await ingest({ inboundId: id }, d);
    expect(calls).toHaveLength(1);
  });

  it('does not read again after a crash between the reading and the ingest, and goes on with the stored words', async () => {
    const id = await inbound('audio', { mediaOutcome: 'transcribed', transcript: 'ya leído' }, 'ya leído');
    const { d, calls } = deps(async () => ({ outcome: 'transcribed', text: 'otra lectura', provider: 'openai' }));
    await ingest({ inboundId: id }, d);
    expect(calls).toEqual([]);
    expect(await logged(id)).toEqual(['ya leído']);
  });

  it('keeps a picture\'s caption as the text, and two runs at once store one reading', async () => {
    const id = await inbound('image', {}, 'la tienen en azul?');
    let k = 0;
    const { d } = deps(async () => ({ outcome: 'described', text: `descripción ${++k}`, provider: 'gemini' }));
    await Promise.all([ingest({ inboundId: id }, d), ingest({ inboundId: id }, d)]);
    const r = await row(id);
    expect(r.text).toBe('la tienen en azul?');
    expect(r.details.imageDescription).toMatch(/^descripción [12]$/);
    expect(await logged(id)).toEqual(['la tienen en azul?']);
  });

  it('records why it could not read, and a reader that throws does not fail the job', async () => {
    const refused = await inbound('audio');
    await ingest({ inboundId: refused }, deps(async () => ({ outcome: 'ai_unavailable' })).d);
    expect(await row(refused)).toMatchObject({ status: 'ingested', text: null, details: { mediaOutcome: 'ai_unavailable' } });

    const broken = await inbound('audio');
    await expect(ingest({ inboundId: broken }, deps(async () => { throw new Error('boom'); }).d)).resolves.toMatchObject({ outcome: 'ingested' });
    expect((await row(broken)).details.mediaOutcome).toBe('failed');
  });

  it('leaves other kinds, and customers over their limit, alone', async () => {
    const text = await inbound('text', {}, 'hola');
    const { d, calls } = deps(async () => ({ outcome: 'transcribed', text: 'x', provider: 'openai' }));
    await ingest({ inboundId: text }, d);
    const limited = await inbound('audio');
    await ingest({ inboundId: limited }, { ...d, checkRateLimit: async () => ({ allowed: false, window: 'minute', retryAfterMs: 1000, notify: false }) });
    expect(calls).toEqual([]);
    expect((await row(limited)).details).not.toHaveProperty('mediaOutcome');
  });
});
