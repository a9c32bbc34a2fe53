import { changeLabels, mergeProfileData } from '../crm/profiles.ts';
import type { Queryable } from '../db/client.ts';
import type { IsoDate } from './calendar.ts';

// A guest who asked for a quote is someone the team follows up: the label `cotización` (what the old
// bot put on them, and what campaigns select by) and `booking_status = 'interested'` in the profile,
// with the stay they asked about, so a person can pick up the conversation without re-reading it.

export const QUOTE_LABEL = 'cotización';

export interface RequestedStay {
  checkIn: IsoDate;
  checkOut: IsoDate;
  nights: number;
  guests?: number;
  /** City (and neighbourhood) asked for, if any. */
  area?: { city: string; zone?: string };
  /** The listing the guest chose, when they tapped one. */
  listing?: { slug: string; name: string; total: number };
}

/**
 * Record the interest on the guest's profile. Returns the guest's labels afterwards, or undefined when
 * the guest has no profile (the ingest stage creates it on their first message, so only a caller outside
 * the pipeline sees that). Run it in the caller's transaction: label and status change together.
 */
export async function recordBookingInterest(db: Queryable, phone: string, stay: RequestedStay, at: Date = new Date()): Promise<string[] | undefined> {
  const labels = await changeLabels(db, phone, { add: [QUOTE_LABEL] });
  if (!labels) return undefined;
  await mergeProfileData(db, phone, { booking_status: 'interested', booking_request: { ...stay, requested_at: at.toISOString() } });
  return labels;
}
