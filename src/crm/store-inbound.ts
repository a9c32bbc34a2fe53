import type { Sql } from '../db/client.ts';
import { insertInbound } from '../db/inbox.ts';
import { phoneDigits } from '../whatsapp/read-json.ts';
import type { CustomerIds, InboundMessage } from '../whatsapp/types.ts';
import { knownKeys, lockIds, resolveSighting } from './customer-keys.ts';

/**
 * Store a delivery's messages, each under its customer's chat key. When every message names only ids
 * already on record for one customer, that is one read and the insert; otherwise the ids are linked in
 * the transaction that stores the messages (a rollback links nothing). A number or BSUID change is
 * applied once: a redelivery of its system message, days later, does not apply it again.
 */
export async function storeInbound(sql: Sql, messages: InboundMessage[]): Promise<{ id: number; chatId: string }[]> {
  if (!messages.length) return [];
  const senders = messages.map(senderOf);
  const known = await knownKeys(sql, senders.map((s) => s ?? {}));
  const keyed = messages.map((m, i) => ({ ...m, chatId: known[i] ?? m.chatId }));
  if (messages.every((m, i) => !senders[i] || (known[i] !== undefined && !m.identityChange))) return insertInbound(sql, keyed);
  // The common first message: a new customer known by their number alone. Their number becomes their key
  // in one round trip under its lock, instead of the whole linking below (a handful of round trips per
  // webhook, which at hundreds a second made the acknowledgement wait); if someone linked the number
  // meanwhile, the insert finds it taken and the full path decides.
  const newByNumber = messages.every((m, i) => !senders[i] || (!m.identityChange && (known[i] !== undefined || isNumberOnly(senders[i]!))));

  return sql.begin(async (tx) => {
    if (newByNumber) {
      const numbers = [...new Set(messages.flatMap((m, i) => (known[i] === undefined && senders[i] ? [senders[i]!.phone!] : [])))].sort();
      const [, claimed] = await Promise.all([
        lockIds(tx, numbers.map((value) => ({ kind: 'phone' as const, value }))),
        tx<{ value: string }[]>`
          INSERT INTO customer_identities (kind, value, customer_key)
          SELECT 'phone', n, n FROM unnest(${numbers}::text[]) AS n
          ON CONFLICT DO NOTHING RETURNING value`,
      ]);
      if (claimed.length === numbers.length) {
        messages.forEach((_, i) => { if (known[i] === undefined && senders[i]) keyed[i].chatId = senders[i]!.phone!; });
        return insertInbound(tx, keyed);
      }
    }
    const changes = messages.filter((m) => m.identityChange).map((m) => m.providerMessageId);
    const seen = new Set(changes.length
      ? (await tx<{ id: string }[]>`SELECT provider_message_id AS id FROM inbound_messages WHERE provider = ${messages[0].provider} AND provider_message_id = ANY(${changes}::text[])`).map((r) => r.id)
      : []);
    // one at a time, in delivery order: a message may link ids the next one names
    for (const [i, m] of messages.entries()) {
      const ids = senders[i];
      if (!ids) continue;
      keyed[i].chatId = await resolveSighting(tx, { ids, change: seen.has(m.providerMessageId) ? undefined : m.identityChange, sentAt: m.sentAt });
    }
    return insertInbound(tx, keyed);
  });
}

/** Only a number: no BSUID, parent id, username or linked id that could point at another customer. */
function isNumberOnly(ids: CustomerIds): boolean {
  return ids.phone !== undefined && Object.entries(ids).every(([kind, value]) => kind === 'phone' || value === undefined);
}

/** The sender's ids; a message built without them (older callers, tests) is known by its number. */
function senderOf(m: InboundMessage): CustomerIds | undefined {
  if (m.sender && Object.keys(m.sender).length) return m.sender;
  const phone = phoneDigits(m.chatId);
  return phone ? { phone } : undefined;
}
