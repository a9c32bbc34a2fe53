import type { Queryable } from '../db/client.ts';
import { conversationHistory } from './history.ts';
import { getGuestProfile, type GuestProfile } from './profiles.ts';

export const CONTEXT_TTL_MS = 5 * 60 * 1000; // seed 000: the context cache lives five minutes

/**
 * What the AI needs to know about a guest, as text: name, labels, booking interest, the last few
 * exchanges. Built from the profile and history, cached on the profile row for five minutes (seed 000's
 * getContext) so a burst of questions does not rebuild it each time.
 */
export async function guestContext(db: Queryable, phone: string, now = new Date()): Promise<string> {
  const profile = await getGuestProfile(db, phone);
  if (!profile) return '';
  const [cached] = await db<{ text: string | null; at: Date | null }[]>`
    SELECT context_cache AS text, last_context_update AS at FROM guest_profiles WHERE phone_number = ${phone}`;
  if (cached?.text && cached.at && now.getTime() - cached.at.getTime() < CONTEXT_TTL_MS) return cached.text;

  const history = await conversationHistory(db, phone, { limit: 10 });
  const lines = [
    ...profileFacts(profile),
    history.length ? 'Últimos mensajes:' : '',
    ...history.map((h) => `${h.direction === 'in' ? 'Cliente' : 'Asistente'}: ${(h.text ?? `[${h.kind}]`).slice(0, 200)}`),
  ].filter(Boolean);
  const text = lines.join('\n');
  await db`UPDATE guest_profiles SET context_cache = ${text}, last_context_update = ${now} WHERE phone_number = ${phone}`;
  return text;
}

/** The profile as short facts for a prompt: who, how long a customer, labels, booking interest. */
export function profileFacts(profile: GuestProfile): string[] {
  return [
    `Cliente: ${profile.userName ?? 'sin nombre'} (${profile.totalInteractions} mensajes desde ${profile.firstInteraction.toISOString().slice(0, 10)})`,
    profile.labels.length ? `Etiquetas: ${profile.labels.join(', ')}` : '',
    typeof profile.profileData.booking_status === 'string' ? `Reserva: ${profile.profileData.booking_status}` : '',
  ].filter(Boolean);
}
