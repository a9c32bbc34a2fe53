import type { Queryable } from '../db/client.ts';
import type { StatusUpdate } from '../whatsapp/types.ts';

/**
 * A status names the recipient of a message we sent by number and business-scoped id together, so it
 * teaches the customer's other id: the BSUID of a customer we only knew by number (the link that keeps
 * them one customer once Meta stops sharing the number), or the number of one we only knew by BSUID.
 * Only ids nobody holds yet are added, and never a second current id of a kind: a status never moves or
 * merges anything (intake's rules do that, with the customer's own messages as evidence).
 */
export async function learnFromStatuses(db: Queryable, statuses: StatusUpdate[]): Promise<number> {
  const learnt = statuses.flatMap((s) => [
    ...(s.recipientUserId ? [{ kind: 'bsuid', value: s.recipientUserId, id: s.providerMessageId }] : []),
    ...(s.recipientParentUserId ? [{ kind: 'parent_bsuid', value: s.recipientParentUserId, id: s.providerMessageId }] : []),
    // only beside a business-scoped id: a number alone teaches nothing new
    ...(s.recipientPhone && (s.recipientUserId || s.recipientParentUserId) ? [{ kind: 'phone', value: s.recipientPhone, id: s.providerMessageId }] : []),
  ]);
  if (!learnt.length) return 0;
  const rows = await db`
    INSERT INTO customer_identities (kind, value, customer_key)
    SELECT DISTINCT ON (t.kind, t.value) t.kind, t.value, o.chat_id
      FROM unnest(${learnt.map((l) => l.kind)}::text[], ${learnt.map((l) => l.value)}::text[], ${learnt.map((l) => l.id)}::text[]) AS t(kind, value, id)
      JOIN outbox o ON o.provider_message_id = t.id
    ON CONFLICT DO NOTHING`;
  return rows.count;
}
