import type { Sql } from '../db/client.ts';
import { insertInbound } from '../db/inbox.ts';
import { phoneDigits } from '../whatsapp/read-json.ts';
import type { CustomerIds, InboundMessage } from '../whatsapp/types.ts';
import { knownKeys, resolveSighting } from './customer-keys.ts';

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

  return sql.begin(async (tx) => {
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

/** The sender's ids; a message built without them (older callers, tests) is known by its number. */
function senderOf(m: InboundMessage): CustomerIds | undefined {
  if (m.sender && Object.keys(m.sender).length) return m.sender;
  const phone = phoneDigits(m.chatId);
  return phone ? { phone } : undefined;
}
