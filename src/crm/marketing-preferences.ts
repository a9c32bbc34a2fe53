import type { Sql } from '../db/client.ts';
import type { MarketingPreference } from '../whatsapp/types.ts';
import { knownKeys, resolveSighting } from './customer-keys.ts';
import { changeLabels } from './profiles.ts';

/** The label a typed opt-out gives the guest (src/conversation/respond.ts); the setting gives the same one. */
export const OPT_OUT_LABEL = 'no_contactar';

/**
 * The customer stopped or resumed marketing messages in WhatsApp's settings (`user_preferences`). A stop is
 * recorded as a typed opt-out is: the customer is opted out (campaigns skip them) and labelled. A resume
 * undoes only an opt-out that came from the setting, and only one older than it: a "STOP" the customer
 * typed stands until they write again to say otherwise.
 */
export async function recordMarketingPreferences(sql: Sql, preferences: MarketingPreference[]): Promise<number> {
  if (!preferences.length) return 0;
  const known = await knownKeys(sql, preferences.map((p) => p.sender));
  let changed = 0;
  for (const [i, p] of preferences.entries()) {
    changed += await sql.begin(async (tx) => {
      const key = known[i] ?? (await resolveSighting(tx, { ids: p.sender, sentAt: p.at }));
      if (p.choice === 'stop') {
        const [row] = await tx<{ changed: boolean }[]>`
          INSERT INTO customers (phone, opted_out_at, opted_out_source) VALUES (${key}, ${p.at}, 'user_preferences')
          ON CONFLICT (phone) DO UPDATE SET opted_out_at = coalesce(customers.opted_out_at, EXCLUDED.opted_out_at),
            opted_out_source = coalesce(customers.opted_out_source, EXCLUDED.opted_out_source), updated_at = now()
          RETURNING opted_out_at = ${p.at} AS changed`;
        await changeLabels(tx, key, { add: [OPT_OUT_LABEL] });
        if (row.changed) await tx`INSERT INTO events (type, chat_id, data) VALUES ('opted_out', ${key}, ${tx.json({ source: 'user_preferences' } as never)})`;
        return row.changed ? 1 : 0;
      }
      const resumed = await tx`
        UPDATE customers SET opted_out_at = NULL, opted_out_source = NULL, updated_at = now()
         WHERE phone = ${key} AND opted_out_source = 'user_preferences' AND opted_out_at <= ${p.at}
        RETURNING phone`;
      if (!resumed.length) return 0;
      await changeLabels(tx, key, { remove: [OPT_OUT_LABEL] });
      await tx`INSERT INTO events (type, chat_id, data) VALUES ('opted_in', ${key}, ${tx.json({ source: 'user_preferences' } as never)})`;
      return 1;
    });
  }
  return changed;
}
