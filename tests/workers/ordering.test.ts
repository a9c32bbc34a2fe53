import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../src/config/schema.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Per-chat order under concurrency: 100 chats × 20 interleaved messages, three sets of stage workers
// (as three worker processes would run). A counter around every handler call proves that no chat is
// ever in two converse (or two outbound) runs at once.

const CHATS = 100;
const PER_CHAT = 20;
const inFlight = new Map<string, number>();
let overlaps = 0;
let maxSeen = 0;

const around = async (stage: Stage, payload: unknown, run: () => Promise<unknown>) => {
  const chatId = (payload as { chatId?: string }).chatId;
  if ((stage !== 'converse' && stage !== 'outbound') || !chatId) return run();
  const key = `${stage}:${chatId}`;
  const now = (inFlight.get(key) ?? 0) + 1;
  inFlight.set(key, now);
  maxSeen = Math.max(maxSeen, now);
  if (now > 1) overlaps++;
  try {
    return await run();
  } finally {
    inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
  }
};

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline({ workerSets: 3, around });
  // 20 messages a chat within seconds is over a new customer's limits; this test is about order, not limits
  await p.db.sql`UPDATE rate_limit_config SET max_per_minute = 1000, max_per_hour = 1000, max_per_day = 1000, burst_size = 1000`;
});
afterAll(async () => { await p?.stop(); });

describe('per-chat order', () => {
  it('answers every message of every chat in arrival order, never two runs of one chat at once', async () => {
    const chat = (c: number) => `57310${String(c).padStart(7, '0')}`;
    for (let k = 0; k < PER_CHAT; k++) {
      // all chats' k-th messages at once: the interleaving a busy number sees
      const results = await Promise.all(
        Array.from({ length: CHATS }, (_, c) => p.postMeta(metaEnvelope([metaTextMessage({ from: chat(c), id: `wamid.ord.${c}.${k}`, body: k % 2 ? 'menu' : 'hola' })]))),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
    }
    const total = CHATS * PER_CHAT;
    const done = await until(async () => {
      const [{ count }] = await p.db.sql`SELECT count(*) FROM outbox WHERE status = 'sent'`;
      return count === total;
    }, 170_000, 200);
    expect(done).toBe(true);

    const [{ open }] = await p.db.sql`SELECT count(*) AS open FROM inbound_messages WHERE status <> 'handled'`;
    expect(open).toBe(0);
    // each reply answers exactly one message, and reached the API in the chats' message order
    const rows = await p.db.sql<{ chatId: string; inboundId: number; wamid: string }[]>`
      SELECT o.chat_id AS "chatId", o.inbound_id AS "inboundId", o.provider_message_id AS wamid
        FROM outbox o ORDER BY o.chat_id, o.sent_at, o.id`;
    expect(new Set(rows.map((r) => r.inboundId)).size).toBe(total);
    const arrival = new Map(p.graph.sent.map((s, i) => [s.responseId, i]));
    const byChat = new Map<string, { inboundId: number; arrived: number }[]>();
    for (const r of rows) {
      const list = byChat.get(r.chatId) ?? [];
      list.push({ inboundId: r.inboundId, arrived: arrival.get(r.wamid)! });
      byChat.set(r.chatId, list);
    }
    let outOfOrder = 0;
    for (const list of byChat.values()) {
      list.sort((a, b) => a.arrived - b.arrived);
      for (let i = 1; i < list.length; i++) if (list[i].inboundId < list[i - 1].inboundId) outOfOrder++;
    }
    expect(byChat.size).toBe(CHATS);
    expect(outOfOrder).toBe(0);
    expect(p.graph.sent).toHaveLength(total);
    expect(overlaps).toBe(0);
    expect(maxSeen).toBe(1);
  }, 180_000); // 2,000 messages through every stage: ~25 s alone, far longer beside three other files on 2 cores
});
