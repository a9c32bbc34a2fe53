import { afterEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/client.ts';
import type { RecordedCall } from '../support/fake-graph.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// DESIGN §4 property 12: once the provider accepted a reply, no retry sends it again. Whatever fails after
// the provider's 2xx (a unique violation on its message id, PostgreSQL refusing the record) is retried as a
// record, or kept for an operator; the chat's later replies still go out, in order.

let p: Pipeline | undefined;
afterEach(async () => { await p?.stop(); p = undefined; });

const msg = (from: string, id: string, body: string) => metaEnvelope([metaTextMessage({ from, id, body })]);
type Body = { to?: string; text?: { body?: string }; interactive?: { body?: { text?: string } } };
const to = (c: RecordedCall) => (c.body as Body)?.to;
const sentText = (c: RecordedCall) => (c.body as Body).text?.body ?? (c.body as Body).interactive?.body?.text;
const rowText = (content: { text?: string; body?: string }) => content.text ?? content.body;

interface Row { id: number; status: string; attempts: number; provider_message_id: string | null; content: { text?: string; body?: string } }
const rowsOf = (sql: Sql, chat: string) => sql<Row[]>`
  SELECT id, status, attempts, provider_message_id, content FROM outbox WHERE chat_id = ${chat} ORDER BY id`;

/** The chat's messages all handled and none of its replies pending. */
const settled = async (sql: Sql, chat: string, messages: number) => {
  const [r] = await sql<{ handled: number; replies: number; pending: number }[]>`
    SELECT (SELECT count(*)::int FROM inbound_messages WHERE chat_id = ${chat} AND status = 'handled') AS handled,
           (SELECT count(*)::int FROM outbox WHERE chat_id = ${chat}) AS replies,
           (SELECT count(*)::int FROM outbox WHERE chat_id = ${chat} AND status = 'pending') AS pending`;
  return r.handled === messages && r.replies >= messages && r.pending === 0;
};

/**
 * Real PostgreSQL refusing exactly the record step: a trigger fails the first `first` UPDATEs that write a
 * provider message id onto an outbox row (sequences count, since a failed statement rolls back any table
 * write; `stop` ends the outage at once).
 */
async function failRecordStep(sql: Sql, opts: { first: number }) {
  await sql.unsafe(`
    CREATE SEQUENCE record_tries;
    CREATE SEQUENCE record_refusals;
    CREATE TABLE record_fault (refuse_first bigint NOT NULL);
    INSERT INTO record_fault VALUES (${opts.first});
    CREATE FUNCTION refuse_record() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('record_tries') <= (SELECT refuse_first FROM record_fault) THEN
        PERFORM nextval('record_refusals');
        RAISE EXCEPTION 'injected fault: the database refuses the record' USING ERRCODE = '57P03';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_record BEFORE UPDATE ON outbox FOR EACH ROW
      WHEN (NEW.provider_message_id IS NOT NULL AND OLD.provider_message_id IS NULL) EXECUTE FUNCTION refuse_record();`);
  return {
    refusals: async () => Number((await sql<{ n: string }[]>`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM record_refusals`)[0].n),
    stop: async () => void (await sql`UPDATE record_fault SET refuse_first = 0`),
  };
}

describe('a send the provider accepted is never sent again', () => {
  it('keeps a reused provider message id for an operator, sends each reply once, and the chat goes on in order', async () => {
    p = await startPipeline();
    const chat = '573610000001';
    // the first two replies come back with the same id: the second one's record hits outbox_provider_message_unique
    p.graph.reuseIdNext(2, 'wamid.reused');
    await p.postMeta(msg(chat, 'wamid.conflict.1', 'hola'));
    expect(await until(() => settled(p!.db.sql, chat, 1), 20_000)).toBe(true);
    await p.postMeta(msg(chat, 'wamid.conflict.2', 'gracias'));
    expect(await until(() => settled(p!.db.sql, chat, 2), 20_000)).toBe(true);
    await p.postMeta(msg(chat, 'wamid.conflict.3', 'adiós'));
    expect(await until(() => settled(p!.db.sql, chat, 3), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500)); // room for a wrong re-send to show

    const rows = await rowsOf(p.db.sql, chat);
    const sends = p.graph.attempts.filter((c) => to(c) === chat);
    // every reply went out exactly once, in the order it was written
    expect(sends.map(sentText)).toEqual(rows.map((r) => rowText(r.content)));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    const holders = rows.filter((r) => r.provider_message_id === 'wamid.reused');
    const conflicted = await p.db.sql<{ id: number; provider_message_id: string | null }[]>`
      SELECT id, provider_message_id FROM outbox WHERE chat_id = ${chat} AND duplicate_provider_message_id = 'wamid.reused'`;
    expect(holders).toHaveLength(1);
    expect(conflicted).toHaveLength(1);
    expect(conflicted[0].provider_message_id).toBeNull();
    expect(conflicted[0].id).toBeGreaterThan(holders[0].id);
    // the conflict is kept as an event naming both rows, and the reply counts as sent
    const events = await p.db.sql<{ data: Record<string, unknown> }[]>`SELECT data FROM events WHERE type = 'reply_id_conflict'`;
    expect(events.map((e) => e.data)).toEqual([{ provider: 'meta', providerMessageId: 'wamid.reused', outboxId: conflicted[0].id, recordedOutboxId: holders[0].id }]);
    const [sent] = await p.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE type = 'reply_sent' AND chat_id = ${chat}`;
    expect(sent.n).toBe(rows.length);
  });

  it('retries a briefly refused record in-process: one send, recorded', async () => {
    p = await startPipeline();
    const fault = await failRecordStep(p.db.sql, { first: 3 });
    const chat = '573610000002';
    await p.postMeta(msg(chat, 'wamid.record.1', 'hola'));
    expect(await until(() => settled(p!.db.sql, chat, 1), 20_000)).toBe(true);
    expect(await fault.refusals()).toBe(3);
    const rows = await rowsOf(p.db.sql, chat);
    const sends = p.graph.attempts.filter((c) => to(c) === chat);
    expect(sends).toHaveLength(rows.length);
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: sends[0].responseId });
    // the reply_sent event is part of the record: the refused tries left none, the one that took left one
    const [sent] = await p.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE type = 'reply_sent' AND chat_id = ${chat}`;
    expect(sent.n).toBe(rows.length);
  });

  it('retries the record, not the send, when the database refuses it past the in-process budget', async () => {
    p = await startPipeline({ env: { OUTBOUND_RECORD_RETRY_MS: '300' } });
    const fault = await failRecordStep(p.db.sql, { first: 1_000_000 });
    const chat = '573610000003';
    await p.postMeta(msg(chat, 'wamid.record.2', 'hola'));
    // the outage lasts until a later run of the outbound stage has taken the reply again
    expect(await until(async () => (await rowsOf(p!.db.sql, chat))[0]?.attempts >= 2, 20_000)).toBe(true);
    await fault.stop();
    expect(await until(() => settled(p!.db.sql, chat, 1), 20_000)).toBe(true);
    expect(await fault.refusals()).toBeGreaterThan(1);

    // the chat goes on: its next message is answered after the first reply, once
    await p.postMeta(msg(chat, 'wamid.record.3', 'gracias'));
    expect(await until(() => settled(p!.db.sql, chat, 2), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await rowsOf(p.db.sql, chat);
    const sends = p.graph.attempts.filter((c) => to(c) === chat);
    expect(sends.map(sentText)).toEqual(rows.map((r) => rowText(r.content)));
    expect(rows[0].attempts).toBeGreaterThanOrEqual(2);
    expect(rows[0].provider_message_id).toBe(sends[0].responseId);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });
});
