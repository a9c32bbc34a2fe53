import { expect } from 'vitest';
import { metaButtonReply, metaEnvelope, metaListReply, metaTextMessage, type MetaMessage } from './meta-payloads.ts';
import type { Pipeline } from './pipeline-harness.ts';
import { until } from './test-runtime.ts';

// A customer talking to the whole pipeline: sends signed Meta deliveries, waits for the bot's answers at
// the fake Graph API, and reads them as text and choices. Each test file gets its own customers.

type Sent = { type: string; text?: { body: string }; interactive?: { type: string; body: { text: string }; action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string; description?: string }[] }[] } } };
export type Choice = { id: string; title: string };

export const bodyOf = (s: { body: unknown }) => {
  const b = s.body as Sent;
  return b.text?.body ?? b.interactive?.body.text ?? '';
};
export const choicesOf = (s: { body: unknown }): Choice[] => {
  const a = (s.body as Sent).interactive?.action;
  return [...(a?.buttons ?? []).map((b) => ({ id: b.reply.id, title: b.reply.title })), ...(a?.sections ?? []).flatMap((x) => x.rows)];
};
/** Everything a set of replies says, choices included, as one string to match against. */
export const allOf = (replies: { body: unknown }[]) => replies.map((r) => `${bodyOf(r)} ${choicesOf(r).map((c) => c.title).join(' ')}`).join('\n');

/** `phoneBase`: the file's own range of numbers (e.g. 573810000000), so files never share a customer. */
export function chatCustomer(p: Pipeline, prefix: string, phoneBase: number) {
  let n = 0;
  let customers = 0;
  const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
  const id = () => `wamid.${prefix}.${++n}`;

  /** Deliver one message and wait for `replies` answers (0: wait a moment and return whatever came). */
  async function exchange(to: string, message: MetaMessage, replies = 1) {
    const before = sentTo(to).length;
    expect((await p.postMeta(metaEnvelope([message]))).status).toBe(200);
    if (replies === 0) {
      await until(async () => (await p.db.sql`SELECT 1 FROM inbound_messages WHERE provider_message_id = ${message.id} AND status IN ('handled', 'skipped')`).length > 0);
    } else {
      expect(await until(() => sentTo(to).length >= before + replies, 10_000), `no reply to ${JSON.stringify(message)}`).toBe(true);
    }
    // let the outbound stage finish the chat's replies before the next step
    await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${to} AND status = 'pending'`).length === 0);
    return sentTo(to).slice(before);
  }
  return {
    /** A new customer's number. */
    customer: () => String(phoneBase + ++customers),
    id,
    sentTo,
    exchange,
    say: (to: string, body: string, replies = 1) => exchange(to, metaTextMessage({ from: to, id: id(), body, name: 'Ana María' }), replies),
    tap: (to: string, choice: Choice, replies = 1) =>
      exchange(to, (/^(prod|cat|ship|line|stay):/.test(choice.id) ? metaListReply : metaButtonReply)({ from: to, id: id(), replyId: choice.id, title: choice.title }), replies),
    pick: (reply: { body: unknown }, match: (c: Choice) => boolean) => {
      const c = choicesOf(reply).find(match);
      expect(c, JSON.stringify(choicesOf(reply))).toBeDefined();
      return c!;
    },
  };
}
