import type { Queryable } from '../db/client.ts';
import { classify } from './keywords/classify.ts';
import { opensWithGreeting, readIntent, respond } from './respond.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { isCheckingOut, type CheckoutSettings } from './shop/checkout.ts';
import { isShopTurn, SHOP_INTENTS, shopTurn, type ShopSession, type ShopTurn } from './shop/flows.ts';
import { answerBookingInquiry, type PendingStay } from '../bookings/answer-inquiry.ts';
import { isBookingReplyId } from '../bookings/booking-ids.ts';
import { shopActionOf } from './shop/ids.ts';
import type { CustomerTurn, TurnOutcome } from './turn.ts';
import { offeredOptions, pickOption, type OfferedOption } from './options.ts';
import { burstWords, type Understanding } from './understand.ts';
import { withBusinessFacts } from './facts-turn.ts';

export interface BurstContext {
  phone: string;
  session: ShopSession;
  /** Messages this customer sent before this burst (0: a new guest). */
  previousTurns: number;
  understanding?: Understanding;
  checkout: CheckoutSettings;
}

export interface BurstResult {
  outcome: TurnOutcome;
  session: ShopSession;
  intent: string;
  source: string;
  placedOrderIds: number[];
  /** Words nothing made sense of: no flow took them, no AI reply, so the customer got "no entendí". */
  misunderstood?: boolean;
}

/** Rental questions, taps on their buttons, and answers to what a quote still needs ("somos 4"). */
function isBookingTurn(intent: string, replyId: string | null, session: ShopSession): boolean {
  if (isBookingReplyId(replyId) || intent === 'booking_inquiry') return true;
  return session.state === 'booking:asking' && !['greeting', 'thanks', 'goodbye', 'help', ...SHOP_INTENTS].includes(intent);
}

/** Mid-checkout these still reach the conversation: a person asked for, or no more messages. */
const ALWAYS_CONVERSATION = new Set(['human_agent', 'opt_out']);

/**
 * One burst of a customer's messages, answered: the shop takes browsing, search, cart, checkout and
 * orders (with the database, inside the caller's transaction); everything else is the conversation's
 * pure `respond`. The first burst of a new guest is labelled "nuevo" either way.
 */
export async function handleBurst(db: Queryable, burst: CustomerTurn[], ctx: BurstContext): Promise<BurstResult> {
  // "2" or "Ver carrito" typed in answer to the options we sent last is the tap it stands for
  const typed = burst[burst.length - 1];
  const picked = !typed.replyId && typed.text ? pickOption(typed.text, ctx.session.context.lastOptions as OfferedOption[] | undefined) : undefined;
  const turns = picked ? [...burst.slice(0, -1), { ...typed, replyId: picked.id, text: picked.title }] : burst;
  const result = await withBusinessFacts(db, turns, picked ? { ...ctx, understanding: undefined } : ctx, answer);
  if (result.outcome.action !== 'reply') return result; // a reaction or sticker leaves the options standing
  // remember what this answer offered (or that it offered nothing) for the next typed answer
  const options = result.outcome.action === 'reply' ? offeredOptions(result.outcome.replies) : undefined;
  const { lastOptions: _, ...context } = result.session.context;
  return { ...result, session: { ...result.session, context: options ? { ...context, lastOptions: options } : context } };
}

async function answer(db: Queryable, burst: CustomerTurn[], ctx: BurstContext): Promise<BurstResult> {
  const last = burst[burst.length - 1];
  const { intent, source } = readIntent(burst, ctx.understanding);
  const words = burstWords(burst);
  const items = (last.details.order as { items?: { sku?: string; quantity?: number }[] } | undefined)?.items ?? [];
  const turn: ShopTurn = {
    phone: ctx.phone,
    customerName: burst.find((t) => t.customerName)?.customerName ?? null,
    intent,
    entities: ctx.understanding?.entities ?? classify(words).entities,
    action: shopActionOf(last.replyId),
    catalogueOrder: last.kind === 'order' ? items.filter((i) => i.sku && i.quantity).map((i) => ({ sku: i.sku!, quantity: Math.min(i.quantity!, 99) })) : undefined,
    text: words,
  };
  const conversational = !turn.action && ALWAYS_CONVERSATION.has(intent);
  // mid-checkout, words are the checkout's answers ("Calle 10 # 43-20, El Poblado" is an address, not a rental question)
  if (!isCheckingOut(ctx.session) && isBookingTurn(intent, last.replyId, ctx.session) && !conversational && !turn.action) {
    const answer = await answerBookingInquiry(db, { phone: ctx.phone, text: words, earlier: ctx.session.context.booking as PendingStay | undefined, replyId: last.replyId, now: last.sentAt });
    const { booking: _, ...rest } = ctx.session.context;
    // a rental question with no dates, people or area in it at all ("¿aceptan mascotas?") is better
    // answered by the AI from the business's facts, when it wrote a reply, than by asking for dates
    const learnedNothing = !last.replyId && Object.values(answer.request).every((v) => v === undefined) && !ctx.session.context.booking;
    if (learnedNothing && ctx.understanding?.aiReply) {
      return { outcome: respond(burst, { previousTurns: ctx.previousTurns }, ctx.understanding), session: ctx.session, intent, source, placedOrderIds: [] };
    }
    // still asking (dates, people): the next message is read as part of the same stay
    const session: ShopSession = answer.missing.length ? { state: 'booking:asking', context: { ...rest, booking: answer.request } } : { state: 'idle', context: rest };
    const labels = ctx.previousTurns === 0 ? { add: ['nuevo'] } : undefined;
    return { outcome: { action: 'reply', replies: answer.replies, ...(labels ? { labels } : {}) }, session, intent: 'booking_inquiry', source, placedOrderIds: [] };
  }
  if (isShopTurn(turn, ctx.session) && !(isCheckingOut(ctx.session) && conversational)) {
    const shop = await shopTurn(db, turn, ctx.session, ctx.checkout);
    // "hola, tienen camisas?" deserves the hello as well as the answer
    const replies = opensWithGreeting(burst) && shop.replies.length ? [greet(shop.replies[0], turn.customerName), ...shop.replies.slice(1)] : shop.replies;
    const outcome: TurnOutcome = { action: 'reply', replies, ...(ctx.previousTurns === 0 ? { labels: { add: ['nuevo'] } } : {}) };
    return { outcome, session: shop.session, intent, source, placedOrderIds: shop.placedOrderIds ?? [] };
  }
  const misunderstood = intent === 'unknown' && !ctx.understanding?.aiReply && words !== '' && !opensWithGreeting(burst);
  return { outcome: respond(burst, { previousTurns: ctx.previousTurns }, ctx.understanding), session: ctx.session, intent, source, placedOrderIds: [], misunderstood };
}

function greet(content: OutboundContent, name: string | null): OutboundContent {
  const hello = `¡Hola${name ? `, ${name.trim().split(/\s+/)[0].slice(0, 30)}` : ''}! 👋 `;
  if (content.type === 'text') return { ...content, text: hello + content.text };
  if (content.type === 'buttons' || content.type === 'list') return { ...content, body: hello + content.body };
  return content;
}
