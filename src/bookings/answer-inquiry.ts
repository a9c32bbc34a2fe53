import type { Queryable } from '../db/client.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { areaIn } from './areas.ts';
import { bookingActionOf } from './booking-ids.ts';
import { DEFAULT_TIME_ZONE, type IsoDate, parts, today } from './calendar.ts';
import { QUOTE_LABEL, recordBookingInterest } from './interest.ts';
import { type Area, findFreeListings, isListingFree, largestCapacity, type Listing, listingAreas, listingBySlug, nearestFreeStay } from './listings.ts';
import { quoteStay } from './quote.ts';
import { mergeStay, missingFrom, readStayRequest, type Stay, type StayQuestion, type StayRequest } from './read-stay.ts';
import * as say from './replies.ts';
import { settleStay } from './stay-dates.ts';

// A guest's rental question answered (booking_inquiry): read the stay from their words (and from what
// earlier messages said), ask for exactly what is missing, and once dates and people are known offer
// what is free with its price, or the nearest alternative, and note the guest's interest for the team.
// It knows nothing of HTTP, queues or sessions: the caller keeps `request` between messages and runs
// this inside its own transaction, so the replies and the recorded interest commit together.

/** What is known of the stay so far, carried from one message to the next by the caller. */
export interface PendingStay extends StayRequest {
  area?: Area;
}

export interface BookingInquiry {
  /** The guest's number, key of their profile. */
  phone: string;
  /** What the guest wrote (a burst of messages joined). */
  text: string;
  /** When the guest wrote it: "mañana" counts from this day. Default: now. */
  now?: Date;
  /** Where that day is counted. Default America/Bogota. */
  timeZone?: string;
  /** The `request` of the previous answer, when the guest is still telling us about the same stay. */
  earlier?: PendingStay;
  /** The id of a tapped booking button or list row (`stay:…`, see isBookingReplyId). */
  replyId?: string | null;
}

export interface BookingAnswer {
  replies: OutboundContent[];
  /** Everything known of the stay after this message: keep it and pass it back as `earlier` next time. */
  request: PendingStay;
  /** What is still needed for a quote; empty when this answer quoted. */
  missing: StayQuestion[];
  /** Labels this answer put on the guest (already saved: applying them again changes nothing). */
  labels?: { add: string[] };
}

type FullStay = Stay & { guests: number };

export async function answerBookingInquiry(db: Queryable, inquiry: BookingInquiry): Promise<BookingAnswer> {
  const now = inquiry.now ?? new Date();
  const day = today(now, inquiry.timeZone ?? DEFAULT_TIME_ZONE);
  const year = parts(day).year;
  const action = bookingActionOf(inquiry.replyId);

  let request: PendingStay;
  if (action) {
    // a tap carries the whole stay; only the area comes from before
    const before = inquiry.earlier?.area;
    request = { ...settleStay({ checkIn: action.checkIn, checkOut: action.checkOut }, day), guests: action.guests, ...(before ? { area: before } : {}) };
  } else {
    const said = readStayRequest(inquiry.text, { now, timeZone: inquiry.timeZone });
    const named = areaIn(inquiry.text, await listingAreas(db)) ?? inquiry.earlier?.area;
    request = { ...mergeStay(inquiry.earlier, said, day), ...(named ? { area: named } : {}) };
  }

  const missing = missingFrom(request);
  if (missing.length) return { replies: [say.askForMissing(request, missing, year)], request, missing };
  const { area, ...stay } = request as FullStay & { area?: Area };

  const asked = { ...stay, ...(area ? { area } : {}) };
  const recorded = (labels: string[] | undefined) => (labels ? { labels: { add: [QUOTE_LABEL] } } : {});

  let gone: OutboundContent | undefined;
  if (action?.do === 'pick') {
    const listing = await listingBySlug(db, action.slug);
    if (listing && (await stillBookable(db, listing, stay))) {
      const quote = quoteStay(listing, stay.nights);
      const labels = await recordBookingInterest(db, inquiry.phone, { ...asked, listing: { slug: listing.slug, name: listing.name, total: quote.total } }, now);
      return { replies: [say.picked(listing, stay, quote, year)], request, missing, ...recorded(labels) };
    }
    gone = say.pickGone(listing);
  }
  const labels = await recordBookingInterest(db, inquiry.phone, asked, now);
  const offers = await offer(db, stay, area, day, year);
  return { replies: gone ? [gone, ...offers] : offers, request, missing, ...recorded(labels) };
}

/**
 * What is free for the stay, or the cheapest useful alternative: the same dates elsewhere when the
 * area asked for is full, a word on capacity when no listing takes that many people, the nearest free
 * dates within a week, or a plain "nothing" with a person to talk to.
 */
async function offer(db: Queryable, stay: FullStay, area: Area | undefined, day: IsoDate, year: number): Promise<OutboundContent[]> {
  const free = await findFreeListings(db, { ...stay, area });
  if (free.length) return [say.freeOptions(stay, free, year)];
  if (area) {
    const elsewhere = await findFreeListings(db, stay);
    if (elsewhere.length) return [say.freeElsewhere(stay, area, elsewhere, year)];
  }
  const largest = await largestCapacity(db);
  if (largest > 0 && stay.guests > largest) return [say.tooManyGuests(stay.guests, largest)];
  const nearest = (await nearestFreeStay(db, { ...stay, area, earliest: day })) ?? (area ? await nearestFreeStay(db, { ...stay, earliest: day }) : undefined);
  if (nearest) return [say.nearestDates(stay, nearest, year)];
  return [say.nothingFree(stay, year)];
}

/** A tapped option is checked again: it may have been booked, switched off or changed since it was offered. */
async function stillBookable(db: Queryable, l: Listing, stay: FullStay): Promise<boolean> {
  return l.isActive && l.capacity >= stay.guests && l.minNights <= stay.nights && (await isListingFree(db, l.id, stay.checkIn, stay.checkOut));
}
