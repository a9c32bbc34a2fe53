import { readStayRequest } from '../bookings/read-stay.ts';
import { getGuestProfile } from '../crm/profiles.ts';
import type { Queryable } from '../db/client.ts';
import { answerFactQuestion, type FactAnswer } from '../facts/answer-question.ts';
import { isAsking, looksLikeFactQuestion } from '../facts/concepts.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import type { BurstContext, BurstResult } from './burst.ts';
import { classify } from './keywords/classify.ts';
import { catalogueTakes } from './catalogue-takes.ts';
import { looksLikeQuestion } from '../lib/asking.ts';
import { opensWithGreeting, readIntent } from './respond.ts';
import { isCheckingOut } from './shop/checkout.ts';
import { searchCatalogue } from '../commerce/search-catalogue.ts';
import type { CustomerTurn } from './turn.ts';
import { burstWords } from './understand.ts';

// Questions about the business ("¿hacen envíos a Cali?", "¿aceptan Nequi?", "¿a qué hora es el
// check-in?") answered from its facts (src/facts) when no AI wrote the reply. The keyword reading of
// such a question is often something else: "unknown", a product search for "envio", a checkout for
// "pagar con daviplata", which would answer "Tu carrito está vacío". A real shop action is never taken
// over: "quiero pagar" is not asked, "tienen freidora de aire?" names no business topic, and a question
// the facts cannot answer confidently goes on to the flow it was read as.

type Answer = (db: Queryable, burst: CustomerTurn[], ctx: BurstContext) => Promise<BurstResult>;

/** Personal words: "¿cuándo me llega?", "mi pedido", "pedido 1043" are about the customer's order. */
const ABOUT_THEIR_ORDER = /\b(mi|mis|me|eso|esa|ese|ya)\b|#|\d{3,}/;

/** Whether this reading of these words is really a question about the business. */
function asksAboutBusiness(words: string, intent: string, aboutPlace: boolean): boolean {
  const shopTopic = looksLikeFactQuestion(words, { place: aboutPlace });
  switch (intent) {
    case 'unknown':
    case 'help':
      return looksLikeFactQuestion(words) || isAsking(words);
    case 'greeting':
    case 'search_products':
      return shopTopic;
    case 'checkout':
      return shopTopic && isAsking(words);
    case 'order_status':
      return shopTopic && !ABOUT_THEIR_ORDER.test(words.toLowerCase());
    case 'booking_inquiry': {
      // "¿a qué hora es el check-in?" tells no dates or people: a question about the place, not a quote
      const said = readStayRequest(words);
      return looksLikeFactQuestion(words) && Object.values(said).every((v) => v === undefined);
    }
    default:
      return false;
  }
}

/**
 * Answer the burst's questions about the business from its facts, and leave everything else to
 * `answer` (handle-burst's own flows). A burst mixing a fact question with something else ("tienen
 * freidora de aire?" / "y hacen envíos a Pasto?") gets both: the flow's answer, then the fact.
 */
export async function withBusinessFacts(db: Queryable, burst: CustomerTurn[], ctx: BurstContext, answer: Answer): Promise<BurstResult> {
  if (ctx.understanding?.aiReply || burst.some((t) => t.replyId) || isCheckingOut(ctx.session)) return answer(db, burst, ctx);
  const words = burstWords(burst);
  if (!words) return answer(db, burst, ctx);

  const aboutPlace = talksAboutPlace(ctx);
  const questions: CustomerTurn[] = [];
  for (const t of burst.length > 1 ? burst : []) {
    const intentOf = t.text ? classify(t.text).intent : 'unknown';
    if (t.text && asksAboutBusiness(t.text, intentOf, aboutPlace) && !(await catalogueAnswers(db, intentOf, t.text, aboutPlace))) questions.push(t);
  }
  const others = burst.filter((t) => !questions.includes(t));
  const othersAct = others.some((t) => t.text && !['greeting', 'thanks'].includes(classify(t.text).intent));
  if (questions.length && othersAct) {
    // one after another: inside the caller's transaction there is one connection anyway
    const facts: NonNullable<Awaited<ReturnType<typeof factFor>>>[] = [];
    for (const t of questions.slice(0, 2)) {
      const f = await factFor(db, t.text!, ctx);
      if (f) facts.push(f);
    }
    // no fact to add: the burst is answered whole, as it would have been
    if (!facts.length) return answer(db, burst, ctx);
    const result = await answer(db, others, { ...ctx, understanding: undefined });
    if (result.outcome.action !== 'reply') return result;
    return { ...result, outcome: { ...result.outcome, replies: [...result.outcome.replies, ...facts.map((f) => text(f.answer.text))] }, session: rememberListings(result.session, facts[0].listings) };
  }

  const { intent, source } = readIntent(burst, ctx.understanding);
  if (!asksAboutBusiness(words, intent, aboutPlace) || (await catalogueAnswers(db, intent, words, aboutPlace))) return answer(db, burst, ctx);
  const fact = await factFor(db, words, ctx);
  if (!fact) return answer(db, burst, ctx);
  const name = burst.find((t) => t.customerName)?.customerName?.trim().split(/\s+/)[0].slice(0, 30);
  const hello = opensWithGreeting(burst) ? `¡Hola${name ? `, ${name}` : ''}! 👋 ` : '';
  return {
    outcome: { action: 'reply', replies: [text(hello + fact.answer.text)], ...(ctx.previousTurns === 0 ? { labels: { add: ['nuevo'] } } : {}) },
    session: rememberListings(ctx.session, fact.listings),
    intent,
    source,
    placedOrderIds: [],
  };
}

const text = (t: string): OutboundContent => ({ type: 'text', text: t });

/**
 * A product question the catalogue can answer stays the shop's: "¿tienen cama para perro?" in a pet shop
 * whose facts speak of pets is a search for beds, not the pets-in-store policy.
 */
async function catalogueAnswers(db: Queryable, intent: string, words: string, aboutPlace: boolean): Promise<boolean> {
  if (intent === 'search_products') {
    const query = classify(words).entities.query;
    return query !== undefined && (await searchCatalogue(db, query, { limit: 1 })).hits.length > 0;
  }
  // "algo para el calor, mi perro sufre", "la correa retráctil", "¿el champú de avena sirve pa gatos?":
  // what the catalogue serves or names is the answer; "¿aceptan perros en la tienda?" names no product
  // a question naming a topic of the business ("¿a qué hora se puede llegar?" after a quote) stays the facts'
  // unless it names products too
  if (intent === 'unknown' || intent === 'help') {
    const topical = looksLikeQuestion(words) && looksLikeFactQuestion(words, { place: aboutPlace });
    return (await catalogueTakes(db, words, { namesProducts: topical })) !== undefined;
  }
  return false;
}

async function factFor(db: Queryable, question: string, ctx: BurstContext): Promise<{ answer: FactAnswer; listings: string[] } | undefined> {
  const listings = await quotedListings(db, ctx);
  const answer = await answerFactQuestion(db, question, {
    payments: ctx.checkout,
    listingSlugs: listings,
  });
  return answer ? { answer, listings } : undefined;
}

/** Cheap: the conversation is about a rental (a quote was just offered, a stay is being asked, a fact was about one). */
function talksAboutPlace(ctx: BurstContext): boolean {
  return Boolean(ctx.session.context.quoted?.length) || ctx.session.state.startsWith('booking:');
}
const QUOTE_FRESH_MS = 3 * 24 * 3600_000;

/**
 * The listings the guest is talking about: the ones the dialogue remembers (offered by the last rental
 * answer, tapped, or asked about), else the one they picked for their last quote (their profile).
 */
async function quotedListings(db: Queryable, ctx: BurstContext): Promise<string[]> {
  const quoted = ctx.session.context.quoted?.map((q) => q.slug) ?? [];
  if (quoted.length) return quoted;
  const request = (await getGuestProfile(db, ctx.phone))?.profileData.booking_request as { listing?: { slug?: string }; requested_at?: string } | undefined;
  const fresh = request?.requested_at && Date.now() - Date.parse(request.requested_at) < QUOTE_FRESH_MS;
  return fresh && request?.listing?.slug ? [request.listing.slug] : [];
}

/** Keep the listings a fact was about for the next question ("¿y tiene parqueadero?"). */
function rememberListings(session: BurstResult['session'], listings: string[]): BurstResult['session'] {
  if (!listings.length) return session;
  const known = new Map((session.context.quoted ?? []).map((q) => [q.slug, q]));
  return { ...session, context: { ...session.context, quoted: listings.slice(0, 10).map((slug) => known.get(slug) ?? { slug, name: slug }) } };
}
