import { DEFAULT_TIME_ZONE, type IsoDate, today } from './calendar.ts';
import { guestsIn } from './guests.ts';
import { readable } from './spanish-text.ts';
import { settleStay, stayDatesIn } from './stay-dates.ts';

// What a guest's message says about the stay they want: dates and number of people, and what is still
// missing for a quote. Deterministic: the same words and the same `now` always give the same stay.

export interface StayOptions {
  /** The moment the guest wrote (tests fix it); default the current time. */
  now?: Date;
  /** Where "today" and "mañana" are counted; default America/Bogota. */
  timeZone?: string;
}

/** What a quote needs and a message may lack: the arrival, the departure (or nights), the number of people. */
export type StayQuestion = 'checkIn' | 'checkOut' | 'guests';

export interface StayRequest {
  checkIn?: IsoDate;
  /** Exclusive: the departure day, free for the next guest's arrival. */
  checkOut?: IsoDate;
  nights?: number;
  guests?: number;
}

/** A stay that can be quoted. */
export interface Stay {
  checkIn: IsoDate;
  checkOut: IsoDate;
  nights: number;
  guests?: number;
}

/** The stay as far as `text` describes it, and what is missing (empty when dates and guests are all there). */
export function readStay(text: string, options: StayOptions = {}): StayRequest & { missing: StayQuestion[] } {
  const request = readStayRequest(text, options);
  return { ...request, missing: missingFrom(request) };
}

/** Only what the text says, nothing asked: for merging into what an earlier message said. */
export function readStayRequest(text: string, { now = new Date(), timeZone = DEFAULT_TIME_ZONE }: StayOptions = {}): StayRequest {
  const { guests, rest } = guestsIn(readable(text));
  return { ...stayDatesIn(rest, today(now, timeZone)), ...(guests ? { guests } : {}) };
}

/**
 * What an earlier message said, updated by a later one: "el viernes" then "3 noches" is Friday for three
 * nights; a new arrival day keeps the length already asked for ("mejor desde el 16"); a number of
 * people replaces the earlier one. `today` drops remembered days that have passed since.
 */
export function mergeStay(earlier: StayRequest | undefined, later: StayRequest, today: IsoDate): StayRequest {
  if (!earlier) return later;
  const dates = later.checkIn
    ? { checkIn: later.checkIn, checkOut: later.checkOut ?? (earlier.checkIn ? undefined : earlier.checkOut), nights: later.checkOut ? later.nights : earlier.nights }
    : {
        checkIn: earlier.checkIn,
        checkOut: later.checkOut ?? (later.nights ? undefined : earlier.checkOut),
        nights: later.nights ?? (later.checkOut ? undefined : earlier.nights),
      };
  const guests = later.guests ?? earlier.guests;
  return { ...settleStay(dates, today), ...(guests ? { guests } : {}) };
}

export function missingFrom(r: StayRequest): StayQuestion[] {
  const missing: StayQuestion[] = [];
  if (!r.checkIn) missing.push('checkIn');
  if (!r.checkOut) missing.push('checkOut');
  if (!r.guests) missing.push('guests');
  return missing;
}

/** Whether the text says anything about a stay at all (a date, a length, people). */
export function mentionsStay(text: string, options: StayOptions = {}): boolean {
  const r = readStayRequest(text, options);
  return Boolean(r.checkIn || r.checkOut || r.nights || r.guests);
}
