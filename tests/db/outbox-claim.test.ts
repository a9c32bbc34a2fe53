import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextReply } from '../../src/db/outbox.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// The outbound stage takes a chat's replies strictly in order; the next one leased by another sender
// (a crashed worker's, whose lease runs out) is "busy", with the time the lease has left, so the stage
// comes back when it ends rather than on a backoff that overshoots it.

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });

const reply = async (chat: string, seq: number, lockedForSeconds: number | null) => {
  const [row] = await db.sql<{ id: number }[]>`
    INSERT INTO outbox (chat_id, seq, content, locked_until)
    VALUES (${chat}, ${seq}, ${db.sql.json({ type: 'text', text: `r${seq}` })},
            ${lockedForSeconds === null ? null : db.sql`now() + make_interval(secs => ${lockedForSeconds})`})
    RETURNING id`;
  return row!.id;
};

describe('claiming the next reply of a chat', () => {
  it('takes the oldest pending reply and leases it', async () => {
    const first = await reply('573800000001', 0, null);
    await reply('573800000001', 1, null);
    const row = await claimNextReply(db.sql, '573800000001', 15);
    expect(row && 'id' in row ? row.id : row).toBe(first);
    // leased now: a second sender is told how long to wait, and never gets the reply after it
    const again = await claimNextReply(db.sql, '573800000001', 15);
    expect(again && 'busyForMs' in again ? again.busyForMs : again).toBeGreaterThan(14_000);
  });

  it('says how long a crashed sender\'s lease has left, and takes the reply once it ran out', async () => {
    const id = await reply('573800000002', 0, 2);
    const busy = await claimNextReply(db.sql, '573800000002', 15);
    expect(busy && 'busyForMs' in busy ? busy.busyForMs : -1).toBeGreaterThan(1000);
    expect(busy && 'busyForMs' in busy ? busy.busyForMs : Infinity).toBeLessThanOrEqual(2000);
    await db.sql`UPDATE outbox SET locked_until = now() - interval '1 second' WHERE id = ${id}`;
    const row = await claimNextReply(db.sql, '573800000002', 15);
    expect(row && 'id' in row ? { id: row.id, attempts: row.attempts } : row).toEqual({ id, attempts: 1 });
  });

  it('answers nothing for a chat with no pending reply', async () => {
    expect(await claimNextReply(db.sql, '573800000003', 15)).toBeUndefined();
  });
});
