import type { Tx } from '../db/client.ts';

// Two customer records that turned out to be one person (src/crm/identity-plan.ts, rule 4): everything
// keyed by `from` moves to `into`, in the caller's transaction. Both chats are locked first with the lock
// the converse stage takes (workers/converse.ts), so no conversation of either runs halfway through.
// What cannot simply be moved is combined: carts add up, labels join, an opt-out on either stands, the
// higher tier and both order counts are kept. The append-only events table is left as it was written.

const TIER_RANK = `array_position(ARRAY['new', 'regular', 'vip'], $TIER)`;
const rank = (column: string) => TIER_RANK.replace('$TIER', column);

export async function mergeCustomers(tx: Tx, from: string, into: string): Promise<void> {
  if (from === into) return;
  await tx`SELECT count(pg_advisory_xact_lock(hashtextextended('chat:' || k, 0))) FROM (SELECT k FROM unnest(${[from, into].sort()}::text[]) AS k ORDER BY k) locks`;

  // ids: the one current id of each kind stays `into`'s; `from`'s of the same kind are kept as retired
  await tx`
    UPDATE customer_identities f SET retired_at = now(), updated_at = now()
     WHERE f.customer_key = ${from} AND f.retired_at IS NULL
       AND EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_key = ${into} AND i.kind = f.kind AND i.retired_at IS NULL)`;
  await tx`UPDATE customer_identities SET customer_key = ${into}, updated_at = now() WHERE customer_key = ${from}`;

  // history and what was bought
  await tx`UPDATE inbound_messages SET chat_id = ${into} WHERE chat_id = ${from}`;
  await tx`UPDATE outbox SET chat_id = ${into} WHERE chat_id = ${from}`;
  await tx`UPDATE message_logs SET customer_phone = ${into} WHERE customer_phone = ${from}`;
  await tx`UPDATE orders SET phone = ${into}, updated_at = now() WHERE phone = ${from}`;
  await tx`UPDATE listing_bookings SET guest_phone = ${into}, updated_at = now() WHERE guest_phone = ${from}`;

  // the cart: items add up (a new version, so a checkout summary of either cart is seen to be stale)
  await tx`
    WITH had AS (SELECT 1 FROM carts WHERE phone = ${from}),
    cart AS (
      INSERT INTO carts (phone, version, updated_at) SELECT ${into}, 1, now() FROM had
      ON CONFLICT (phone) DO UPDATE SET version = carts.version + 1, updated_at = now()
      RETURNING phone)
    INSERT INTO cart_items (phone, product_id, quantity, added_at)
    SELECT c.phone, i.product_id, i.quantity, i.added_at FROM cart c, cart_items i WHERE i.phone = ${from}
    ON CONFLICT (phone, product_id) DO UPDATE SET quantity = least(cart_items.quantity + EXCLUDED.quantity, 999)`;
  await tx`DELETE FROM carts WHERE phone = ${from}`;

  // the shop's record
  await tx.unsafe(
    `INSERT INTO customers AS c (phone, name, customer_tier, total_orders, opted_out_at, opted_out_source, created_at, updated_at)
     SELECT $2, name, customer_tier, total_orders, opted_out_at, opted_out_source, created_at, now() FROM customers WHERE phone = $1
     ON CONFLICT (phone) DO UPDATE SET
       name = coalesce(c.name, EXCLUDED.name),
       customer_tier = CASE WHEN ${rank('EXCLUDED.customer_tier')} > ${rank('c.customer_tier')} THEN EXCLUDED.customer_tier ELSE c.customer_tier END,
       total_orders = c.total_orders + EXCLUDED.total_orders,
       opted_out_at = least(c.opted_out_at, EXCLUDED.opted_out_at),
       opted_out_source = CASE WHEN c.opted_out_at IS NOT NULL AND (EXCLUDED.opted_out_at IS NULL OR c.opted_out_at <= EXCLUDED.opted_out_at)
                               THEN c.opted_out_source ELSE EXCLUDED.opted_out_source END,
       created_at = least(c.created_at, EXCLUDED.created_at),
       updated_at = now()`,
    [from, into],
  );
  await tx`DELETE FROM customers WHERE phone = ${from}`;

  // the guest profile: labels join (in `into`'s spelling first), interactions add up
  await tx`
    INSERT INTO guest_profiles AS g (phone_number, chat_id, thread_id, user_name, labels, context_cache, last_context_update, profile_data,
                                     first_interaction, last_interaction, total_interactions, created_at, updated_at)
    SELECT ${into}, chat_id, thread_id, user_name, labels, context_cache, last_context_update, profile_data,
           first_interaction, last_interaction, total_interactions, created_at, now()
      FROM guest_profiles WHERE phone_number = ${from}
    ON CONFLICT (phone_number) DO UPDATE SET
      user_name = coalesce(g.user_name, EXCLUDED.user_name),
      labels = g.labels || (SELECT coalesce(jsonb_agg(l), '[]'::jsonb) FROM jsonb_array_elements(EXCLUDED.labels) l
                             WHERE NOT lower_labels(g.labels) @> jsonb_build_array(lower(l #>> '{}'))),
      profile_data = EXCLUDED.profile_data || g.profile_data,
      first_interaction = least(g.first_interaction, EXCLUDED.first_interaction),
      last_interaction = greatest(g.last_interaction, EXCLUDED.last_interaction),
      total_interactions = g.total_interactions + EXCLUDED.total_interactions,
      updated_at = now()`;
  await tx`DELETE FROM guest_profiles WHERE phone_number = ${from}`;
  await tx`UPDATE historical_clients SET phone_number = ${into} WHERE phone_number = ${from} AND NOT EXISTS (SELECT 1 FROM historical_clients WHERE phone_number = ${into})`;

  // the conversation's state: `into`'s if it has one (it is the live conversation), else `from`'s
  await tx`UPDATE customer_sessions SET customer_phone = ${into} WHERE customer_phone = ${from} AND NOT EXISTS (SELECT 1 FROM customer_sessions WHERE customer_phone = ${into})`;
  await tx`DELETE FROM customer_sessions WHERE customer_phone = ${from}`;

  // handoffs: at most one open per chat, so `from`'s open one ends if `into` has one
  await tx`
    UPDATE handoffs SET ended_at = now(), ended_by = 'timeout'
     WHERE chat_id = ${from} AND ended_at IS NULL AND EXISTS (SELECT 1 FROM handoffs WHERE chat_id = ${into} AND ended_at IS NULL)`;
  await tx`UPDATE handoffs SET chat_id = ${into} WHERE chat_id = ${from}`;

  // the console's records (migration 018): who changed which labels, and how far the team has read
  await tx`UPDATE label_changes SET chat_id = ${into} WHERE chat_id = ${from}`;
  await tx`
    INSERT INTO chat_reads AS r (chat_id, read_up_to, read_by, read_at)
    SELECT ${into}, read_up_to, read_by, read_at FROM chat_reads WHERE chat_id = ${from}
    ON CONFLICT (chat_id) DO UPDATE SET read_up_to = greatest(r.read_up_to, EXCLUDED.read_up_to),
      read_by = CASE WHEN EXCLUDED.read_up_to > r.read_up_to THEN EXCLUDED.read_by ELSE r.read_by END,
      read_at = greatest(r.read_at, EXCLUDED.read_at)`;
  await tx`DELETE FROM chat_reads WHERE chat_id = ${from}`;

  await tx`INSERT INTO events (type, chat_id, data) VALUES ('customers_merged', ${into}, ${tx.json({ from } as never)})`;
}
