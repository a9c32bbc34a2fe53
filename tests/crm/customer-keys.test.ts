import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInbound } from '../../src/crm/store-inbound.ts';
import type { CustomerIds, InboundMessage } from '../../src/whatsapp/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Intake's linking under concurrency, on a real database: however a customer's first deliveries race
// (one naming the BSUID, one the number, one both), they end as one customer with one current id of each kind.

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

let n = 0;
const message = (sender: CustomerIds): InboundMessage => ({
  provider: 'meta', providerMessageId: `wamid.keys.${++n}`, chatId: sender.phone ?? sender.bsuid!, sender,
  sentAt: new Date(), kind: 'text', text: 'hola', details: {},
});

describe('storeInbound under concurrent deliveries', () => {
  it('a customer whose BSUID-only, number-only and both-ids messages arrive at once ends as one customer', async () => {
    const customers = Array.from({ length: 20 }, (_, i) => ({ phone: `5732${String(i).padStart(8, '0')}`, bsuid: `CO.${String(i).padStart(3, '0')}77665544332211` }));
    const deliveries = customers.flatMap((c) => [message({ bsuid: c.bsuid }), message({ phone: c.phone }), message({ phone: c.phone, bsuid: c.bsuid })]);
    // shuffled, all at once, each a delivery of its own
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    await Promise.all(deliveries.map((m) => storeInbound(db.sql, [m])));

    for (const c of customers) {
      const ids = await db.sql<{ kind: string; value: string; key: string; current: boolean }[]>`
        SELECT kind, value, customer_key AS key, retired_at IS NULL AS current FROM customer_identities WHERE value = ANY(${[c.phone, c.bsuid]}::text[]) ORDER BY kind`;
      expect(ids.map((i) => [i.kind, i.current])).toEqual([['bsuid', true], ['phone', true]]);
      expect(new Set(ids.map((i) => i.key)).size).toBe(1);
      const chats = await db.sql`SELECT DISTINCT chat_id FROM inbound_messages WHERE chat_id IN (${c.phone}, ${c.bsuid})`;
      expect(chats).toEqual([{ chat_id: ids[0].key }]);
    }
    const [{ count }] = await db.sql`SELECT count(*)::int FROM inbound_messages WHERE provider_message_id LIKE 'wamid.keys.%'`;
    expect(count).toBe(60);
  });

  it('stores a delivery of several customers, each under their own key, in one transaction', async () => {
    const known = message({ phone: '573299000001' });
    await storeInbound(db.sql, [known]);
    const stored = await storeInbound(db.sql, [message({ phone: '573299000001', bsuid: 'CO.55500000000000000001' }), message({ bsuid: 'CO.55500000000000000002', username: 'nuevo' })]);
    expect(stored.map((s) => s.chatId)).toEqual(['573299000001', 'CO.55500000000000000002']);
  });
});
