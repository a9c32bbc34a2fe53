import { answerBookingInquiry } from '../bookings/answer-inquiry.ts';
import { areaIn } from '../bookings/areas.ts';
import { bookingActionOf, isBookingReplyId } from '../bookings/booking-ids.ts';
import { listingAreas } from '../bookings/listings.ts';
import type { Queryable } from '../db/client.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { isAcknowledgement } from './acknowledgement.ts';
import type { Intent } from './keywords/classify.ts';
import { forget, type ConversationMemory } from './memory.ts';
import { SHOP_INTENTS, type ShopSession } from './shop/flows.ts';

// The rental side of a conversation: a guest's question about a stay, their answers to what a quote
// still needs ("somos 4"), taps on the offered listings, and follow-ups about a quote just given ("¿y el
// de Bocagrande?"). The stay asked about stays in the session after the quote, so follow-ups keep their
// dates and people.

const SMALL_TALK: ReadonlySet<Intent> = new Set(['greeting', 'thanks', 'goodbye', 'help']);

/** Whether this turn is the rental assistant's to answer. */
export async function isBookingTurn(db: Queryable, t: { intent: Intent; words: string; replyId: string | null; kind: string }, session: ShopSession): Promise<boolean> {
  if (isBookingReplyId(t.replyId) || t.intent === 'booking_inquiry') return true;
  // a sticker, a location, a "👍" or an "ok" never replays the question we asked last
  if (!t.words || isAcknowledgement(t.words) || ['sticker', 'reaction', 'location', 'contacts', 'system'].includes(t.kind)) return false;
  if (SMALL_TALK.has(t.intent)) return false;
  const memory = session.context;
  // after a quote, naming one of the host's areas asks about it ("¿cuánto sale el de Bocagrande?")
  if (memory.booking && memory.quoted?.length && areaIn(t.words, await listingAreas(db))) return true;
  return session.state === 'booking:asking' && !SHOP_INTENTS.has(t.intent);
}

export interface BookingTurnResult {
  replies: OutboundContent[];
  session: ShopSession;
  /** Nothing of a stay was in the words, and nothing was known before. */
  learnedNothing: boolean;
}

export async function bookingTurn(db: Queryable, t: { phone: string; words: string; replyId: string | null; sentAt?: Date }, session: ShopSession): Promise<BookingTurnResult> {
  const earlier = session.context.booking;
  const answer = await answerBookingInquiry(db, { phone: t.phone, text: t.words, earlier, replyId: t.replyId, now: t.sentAt });
  const known = Object.values(answer.request).some((v) => v !== undefined);
  let context: ConversationMemory = forget(session.context, 'booking');
  if (known) context = { ...context, booking: answer.request };
  // the listing tapped is the one follow-ups are about ("¿tiene parqueadero?"), not the others offered
  const tapped = bookingActionOf(t.replyId);
  if (tapped?.do === 'pick') context = { ...context, quoted: [context.quoted?.find((q) => q.slug === tapped.slug) ?? { slug: tapped.slug, name: tapped.slug }] };
  return {
    replies: answer.replies,
    // still asking (dates, people): the next message is read as part of the same stay
    session: { state: answer.missing.length ? 'booking:asking' : 'idle', context },
    learnedNothing: !t.replyId && !known && !earlier,
  };
}
