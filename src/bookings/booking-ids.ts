import type { IsoDate } from './calendar.ts';

// Ids of the buttons and list rows a booking answer carries. Each one holds the whole stay, so a tap
// is understood without remembering anything: the customer may tap it hours later, after other talk.

export type BookingAction =
  | { do: 'pick'; slug: string; checkIn: IsoDate; checkOut: IsoDate; guests: number }
  | { do: 'dates'; checkIn: IsoDate; checkOut: IsoDate; guests: number };

export const bookingIds = {
  /** "I want this listing for this stay". */
  pick: (slug: string, checkIn: IsoDate, checkOut: IsoDate, guests: number) => `stay:pick:${slug}:${checkIn}:${checkOut}:${guests}`,
  /** "These other dates suit me": the offered alternative. */
  dates: (checkIn: IsoDate, checkOut: IsoDate, guests: number) => `stay:dates:${checkIn}:${checkOut}:${guests}`,
};

const DATE = String.raw`(\d{4}-\d{2}-\d{2})`;
const PICK = new RegExp(String.raw`^stay:pick:([a-z0-9-]+):${DATE}:${DATE}:(\d{1,2})$`);
const DATES = new RegExp(String.raw`^stay:dates:${DATE}:${DATE}:(\d{1,2})$`);

/** Whether a tapped id is a booking one (the conversation routes those to answerBookingInquiry). */
export const isBookingReplyId = (id: string | null | undefined): boolean => Boolean(id?.startsWith('stay:'));

export function bookingActionOf(id: string | null | undefined): BookingAction | undefined {
  if (!id) return undefined;
  let m = PICK.exec(id);
  if (m) return { do: 'pick', slug: m[1], checkIn: m[2], checkOut: m[3], guests: Number(m[4]) };
  m = DATES.exec(id);
  if (m) return { do: 'dates', checkIn: m[1], checkOut: m[2], guests: Number(m[3]) };
  return undefined;
}
