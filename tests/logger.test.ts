import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.ts';
import { withLogContext } from '../src/log-context.ts';
import { maskPhone } from '../src/logger.ts';
import { createRuntime } from '../src/roles/runtime.ts';
import { createWebApp } from '../src/roles/web-role.ts';
import { metaEnvelope, metaTextMessage } from './support/meta-payloads.ts';
import { captureLogs } from './support/capture-logs.ts';
import { signMeta } from './support/pipeline-harness.ts';
import { createTestDatabase } from './support/test-db.ts';
import { META_SECRET, META_VERIFY, newQueuePrefix } from './support/test-runtime.ts';

// Customers' numbers are personal data: no log line carries one in full, wherever it hides.

const PHONE = '573001234567';
const MASKED = maskPhone(PHONE); // 57…567

describe('log masking', () => {
  it('masks numbers in fields, nested objects, messages, errors and their causes, child bindings and job context', () => {
    const { log, lines, parsed } = captureLogs();
    log.info({ chatId: PHONE, to: `${PHONE}@s.whatsapp.net`, details: { guest: { phone: PHONE }, note: `llamar al ${PHONE}`, chats: [PHONE] } }, `message from ${PHONE}`);
    log.warn({ err: new Error(`send to ${PHONE} failed`, { cause: new Error(`number +57 300 123 4567 refused`) }) }, 'send failed');
    log.error(new Error(`no chat ${PHONE}`)); // message taken from the error
    log.child({ chatId: PHONE }).warn('from a child logger');
    withLogContext({ queue: 'converse', jobId: '42', chatId: PHONE }, () => log.info('inside a job'));

    const all = lines.join('');
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain('300 123 4567');
    expect(all).not.toContain('3001234567');
    const [fields, failed, bare, child, inJob] = parsed();
    expect(fields).toMatchObject({ chatId: MASKED, to: `${MASKED}@s.whatsapp.net`, details: { guest: { phone: MASKED }, note: `llamar al ${MASKED}`, chats: [MASKED] }, msg: `message from ${MASKED}` });
    expect((failed.err as { message: string }).message).toContain(`send to ${MASKED} failed`);
    expect((failed.err as { message: string }).message).toContain(`number ${MASKED} refused`); // the cause, appended by pino
    expect((failed.err as { stack: string }).stack).toContain(MASKED);
    expect((failed.err as { type: string }).type).toBe('Error');
    expect(bare.msg).toBe(`no chat ${MASKED}`);
    expect(child.chatId).toBe(MASKED);
    expect(inJob).toMatchObject({ queue: 'converse', jobId: '42', chatId: MASKED, msg: 'inside a job' });
  });

  it('leaves ids, numbers, dates and amounts alone', () => {
    const { log, parsed } = captureLogs();
    log.info({ jobId: '12345678901', reqId: 'req-1', inboundId: 123456789, outboxIds: [98765432, 98765433], total: 150000 }, 'paid 150.000 COP on 2026-05-01 at 10:30');
    expect(parsed()[0]).toMatchObject({ jobId: '12345678901', reqId: 'req-1', inboundId: 123456789, outboxIds: [98765432, 98765433], total: 150000, msg: 'paid 150.000 COP on 2026-05-01 at 10:30' });
  });

  it('gives the call site the last word over the job context, and leaves the caller\'s object untouched', () => {
    const { log, parsed } = captureLogs();
    const fields = { chatId: PHONE, queue: 'outbound' };
    withLogContext({ queue: 'converse', jobId: '7' }, () => log.info(fields, 'x'));
    expect(parsed()[0]).toMatchObject({ queue: 'outbound', jobId: '7', chatId: MASKED });
    expect(fields.chatId).toBe(PHONE);
  });
});

describe('request logs', () => {
  it('carry the request id, with the number masked (a webhook whose queue is away)', async () => {
    const db = await createTestDatabase();
    const { log, lines, parsed } = captureLogs('warn');
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: newQueuePrefix(), META_APP_SECRET: META_SECRET, META_VERIFY_TOKEN: META_VERIFY });
    const rt = createRuntime(config, log);
    const app = await createWebApp(rt);
    try {
      const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from: PHONE, id: 'wamid.log.1', body: `soy ${PHONE}` })]));
      const res = await app.inject({ method: 'POST', url: '/webhooks/meta', payload: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
      expect(res.statusCode).toBe(200); // committed; the sweep enqueues it later
      const warning = parsed().find((l) => /queue unavailable/.test(String(l.msg)));
      expect(warning).toMatchObject({ reqId: expect.any(String), count: 1 });
      expect(lines.join('')).not.toContain(PHONE);
    } finally {
      await app.close();
      await rt.close().catch(() => {});
      await db.drop();
    }
  });
});
