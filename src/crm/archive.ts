import type { Queryable } from '../db/client.ts';

/**
 * Seed 000's archiveInactive: guests silent for more than `inactiveDays` move to historical_clients (for
 * marketing) and leave guest_profiles. Idempotent: a second run finds nobody left to move, and a guest
 * archived before is updated, not duplicated. A guest who writes again gets a profile back with the
 * archived labels (see touchGuestProfile).
 */
export async function archiveInactiveGuests(db: Queryable, inactiveDays: number): Promise<number> {
  const rows = await db`
    WITH moved AS (
      DELETE FROM guest_profiles WHERE last_interaction < now() - make_interval(days => ${inactiveDays})
      RETURNING phone_number, user_name, labels, total_interactions, first_interaction, last_interaction, profile_data
    )
    INSERT INTO historical_clients (phone_number, user_name, labels, total_interactions, first_interaction, last_interaction, booking_status, profile_data)
    SELECT phone_number, user_name, labels, total_interactions, first_interaction, last_interaction, profile_data->>'booking_status', profile_data FROM moved
    ON CONFLICT (phone_number) DO UPDATE SET
      user_name = coalesce(EXCLUDED.user_name, historical_clients.user_name),
      labels = EXCLUDED.labels,
      total_interactions = EXCLUDED.total_interactions,
      first_interaction = least(historical_clients.first_interaction, EXCLUDED.first_interaction),
      last_interaction = greatest(historical_clients.last_interaction, EXCLUDED.last_interaction),
      booking_status = coalesce(EXCLUDED.booking_status, historical_clients.booking_status),
      profile_data = historical_clients.profile_data || EXCLUDED.profile_data,
      archived_at = now()
    RETURNING phone_number`;
  return rows.length;
}
