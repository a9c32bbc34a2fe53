import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcceptedSends } from '../../src/queues/accepted-sends.ts';
import { recordAcceptedSend } from '../../workers/record-send.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { newQueuePrefix, until } from '../support/test-runtime.ts';

// A record that hangs never fails, so waiting for its failure to keep the accepted send in Redis is not
// enough: the wedge watchdog ends a process whose work stops settling, and its successor must still find
// that the provider already has this reply. A record slower than `rememberSlowAfterMs` is remembered at once.

let db: TestDatabase;
let redis: Redis;
const prefix = newQueuePrefix();
beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db.drop();
});

const pendingReply = async (chat: string) => {
  const [row] = await db.sql<{ id: number }[]>`
    INSERT INTO outbox (chat_id, seq, content) VALUES (${chat}, 0, ${db.sql.json({ type: 'text', text: 'hola' })}) RETURNING id`;
  return row!.id;
};

describe('recording an accepted send that does not settle', () => {
  it('keeps the accepted send in Redis while the record hangs, and drops it once the record lands', async () => {
    const accepted = createAcceptedSends(redis, prefix);
    const id = await pendingReply('573700000001');
    // another session holds the row: the record's UPDATE waits, as it would on a wedged connection
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const holder = db.sql.begin(async (tx) => {
      await tx`SELECT id FROM outbox WHERE id = ${id} FOR UPDATE`;
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const recording = recordAcceptedSend({ id, chatId: '573700000001' }, { provider: 'meta', providerMessageId: 'wamid.slow.1' },
      { sql: db.sql, acceptedSends: accepted, recordRetryMs: 0, rememberSlowAfterMs: 200 });
    // the record is still waiting, and the send is already kept for whoever takes the row next
    expect(await until(async () => (await accepted.recall(id))?.providerMessageId === 'wamid.slow.1', 3000, 50)).toBe(true);
    release();
    await holder;
    const record = await recording;
    expect(record.status).toBe('sent');
    expect(await accepted.recall(id)).toBeUndefined();
  });

  it('a record that lands quickly leaves nothing in Redis', async () => {
    const accepted = createAcceptedSends(redis, prefix);
    const id = await pendingReply('573700000002');
    const record = await recordAcceptedSend({ id, chatId: '573700000002' }, { provider: 'meta', providerMessageId: 'wamid.fast.1' },
      { sql: db.sql, acceptedSends: accepted, recordRetryMs: 0, rememberSlowAfterMs: 5000 });
    expect(record.status).toBe('sent');
    await new Promise((r) => setTimeout(r, 100));
    expect(await accepted.recall(id)).toBeUndefined();
  });
});
