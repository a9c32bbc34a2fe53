import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until, WHAPI_HOOK } from '../support/test-runtime.ts';

// MESSAGE_BUFFER_MS: a quick burst ("hola" / "quiero" / "una camisa roja") is answered as one, and
// every message of it is still accounted for; while the customer is typing the window stretches.

let p: Pipeline;
// windows shorter than production's (2 s / 5 s: tests/process/crash-points.test.ts runs those), long enough
// that a loaded machine's webhook latency never splits messages sent back to back
const WINDOW_MS = 1000;
const TYPING_MS = 2500;
beforeAll(async () => { p = await startPipeline({ env: { MESSAGE_BUFFER_MS: String(WINDOW_MS), TYPING_BUFFER_MS: String(TYPING_MS) } }); });
afterAll(async () => { await p?.stop(); });

const send = (from: string, id: string, body: string) => p.postMeta(metaEnvelope([metaTextMessage({ from, id, body })]));
const repliesTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);

describe('bursts', () => {
  it('answers three quick messages with one reply that covers all three', async () => {
    const chat = '573600000010';
    const sentAt = Date.now();
    await send(chat, 'wamid.burst.1', 'hola');
    await send(chat, 'wamid.burst.2', 'quiero');
    await send(chat, 'wamid.burst.3', 'una camisa roja');
    // done when every message is closed and no reply is pending: nothing more can be sent for them after that
    expect(await until(async () => {
      const [{ open, pending }] = await p.db.sql`SELECT (SELECT count(*)::int FROM inbound_messages WHERE chat_id = ${chat} AND status <> 'handled') AS open,
        (SELECT count(*)::int FROM outbox WHERE chat_id = ${chat} AND status = 'pending') AS pending`;
      return open === 0 && pending === 0;
    }, 10_000)).toBe(true);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(WINDOW_MS); // the window waited for the rest of the burst
    expect((await p.db.sql`SELECT count(*)::int AS n FROM outbox WHERE chat_id = ${chat}`)[0].n).toBe(1);
    expect(repliesTo(chat)).toHaveLength(1);
    const rows = await p.db.sql`SELECT provider_message_id AS id, status, answered_with_id FROM inbound_messages WHERE chat_id = ${chat} ORDER BY id`;
    const last = (await p.db.sql`SELECT id FROM inbound_messages WHERE provider_message_id = 'wamid.burst.3'`)[0].id;
    expect(rows.map((r) => [r.status, r.answered_with_id])).toEqual([['handled', last], ['handled', last], ['handled', last]]);
    expect(JSON.stringify(repliesTo(chat)[0].body)).toContain('¡Hola'); // the greeting in the first message counts
  });

  it('answers messages further apart than the window separately', async () => {
    const chat = '573600000011';
    await send(chat, 'wamid.apart.1', 'hola');
    expect(await until(() => repliesTo(chat).length === 1, 10_000)).toBe(true);
    await send(chat, 'wamid.apart.2', 'menu');
    expect(await until(() => repliesTo(chat).length === 2, 10_000)).toBe(true);
  });

  it('waits longer while Whapi says the customer is typing', async () => {
    const chat = '573600000012';
    const typing = JSON.stringify({ presences: [{ contact_id: `${chat}@s.whatsapp.net`, status: 'typing' }], event: { type: 'presences', event: 'post' } });
    expect((await p.postRaw(`/webhooks/whapi/${WHAPI_HOOK}`, typing)).status).toBe(200);
    const sentAt = Date.now();
    await send(chat, 'wamid.typing.1', 'hola');
    expect(await until(() => repliesTo(chat).length === 1, 10_000)).toBe(true);
    // typing stretches the plain window to TYPING_MS
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(TYPING_MS - 100);
  });
});
