import type { Queryable } from '../db/client.ts';
import { asksAboutTheBusiness, classify } from './keywords/classify.ts';
import { opensWithGreeting, readIntent, respond } from './respond.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { isCheckingOut } from './shop/checkout.ts';
import { isShopTurn, shopTurn, type ShopSession, type ShopTurn } from './shop/flows.ts';
import { shopActionOf } from './shop/ids.ts';
import type { CustomerTurn, TurnOutcome } from './turn.ts';
import { offeredOptions, pickOption } from './options.ts';
import { burstWords } from './understand.ts';
import { forget } from './memory.ts';
import { listingsShownIn, rememberShown } from './shown.ts';
import { resolveReference } from './references.ts';
import { looksLikeQuestion, splitQuestions } from './questions.ts';
import { bookingTurn, isBookingTurn } from './booking-turn.ts';
import { receiptTurn } from './receipt-turn.ts';
import { isAcknowledgement } from './acknowledgement.ts';
import { questionForTheTeam } from './texts.ts';
import { catalogueTakes } from './catalogue-takes.ts';
import { looksLikeFactQuestion } from '../facts/concepts.ts';
import { withBusinessFacts } from './facts-turn.ts';
import type { BurstContext, BurstResult } from './burst.ts';

export type { BurstContext, BurstResult } from './burst.ts';

/** Mid-checkout these still reach the conversation: a person asked for, or no more messages. */
const ALWAYS_CONVERSATION = new Set(['human_agent', 'opt_out']);

/**
 * One burst of a customer's messages, answered. On the keyword path each question in it gets its own
 * answer, in order ("tienen licuadoras?" / "y hacen envíos a Bogotá?"); with the AI's reading the burst
 * is one message, as the model read it. The answer's options and the products or listings it showed are
 * remembered for the next message ("2", "la segunda", "me la llevo", "el de Bocagrande").
 */
export async function handleBurst(db: Queryable, burst: CustomerTurn[], ctx: BurstContext): Promise<BurstResult> {
  // "2" or "Ver carrito" typed in answer to the options we sent last is the tap it stands for
  const typed = burst[burst.length - 1];
  const picked = !typed.replyId && typed.text ? pickOption(typed.text, ctx.session.context.lastOptions) : undefined;
  const turns = picked ? [...burst.slice(0, -1), { ...typed, replyId: picked.id, text: picked.title }] : burst;
  const understanding = picked ? undefined : ctx.understanding;
  const questions = understanding || picked ? [turns] : splitQuestions(turns);

  const answers: BurstResult[] = [];
  // what the previous answer added is for this burst's references only; an answer that adds sets it anew
  const justAdded = ctx.session.context.justAdded;
  let session: ShopSession = { ...ctx.session, context: forget(ctx.session.context, 'justAdded') };
  let previousTurns = ctx.previousTurns;
  for (const question of questions) {
    // a question about the business is answered from its facts; everything else by the flows below
    const answered = await answerQuestion(db, question, { ...ctx, session, previousTurns, understanding, justAdded });
    answers.push(answered);
    // a later question in the same burst is not greeted again
    session = answered.outcome.action === 'reply' ? { ...answered.session, context: { ...answered.session.context, greeted: true } } : answered.session;
    previousTurns += question.length;
  }
  const result = combine(answers);
  if (result.outcome.action !== 'reply') return result; // a reaction or sticker leaves the options standing
  return { ...result, session: { ...result.session, context: remember(result.session.context, result.outcome.replies) } };
}

/** What the next message may refer to: the options offered, the products and listings shown; and that we have talked. */
function remember(memory: ShopSession['context'], replies: OutboundContent[]): ShopSession['context'] {
  const options = offeredOptions(replies);
  const listings = listingsShownIn(replies);
  const next = rememberShown(forget(memory, 'lastOptions'), replies);
  return { ...next, ...(options ? { lastOptions: options } : {}), ...(listings ? { quoted: listings } : {}), greeted: true };
}

/** The answers to a burst's questions as one: replies in order, the weightiest intent, any handoff. */
function combine(answers: BurstResult[]): BurstResult {
  if (answers.length === 1) return answers[0];
  const replying = answers.filter((a) => a.outcome.action === 'reply');
  const last = answers[answers.length - 1];
  if (!replying.length) return { ...last, session: last.session };
  const replies = replying.flatMap((a) => (a.outcome.action === 'reply' ? a.outcome.replies : []));
  const add = [...new Set(answers.flatMap((a) => a.outcome.labels?.add ?? []))];
  const remove = [...new Set(answers.flatMap((a) => a.outcome.labels?.remove ?? []))];
  const optOut = replying.some((a) => a.outcome.action === 'reply' && a.outcome.optOut);
  const weighty = replying.find((a) => a.intent === 'opt_out' || a.intent === 'human_agent') ?? replying.find((a) => a.intent !== 'greeting') ?? replying[0];
  const outcome: TurnOutcome = {
    action: 'reply',
    replies,
    ...(add.length || remove.length ? { labels: { ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) } } : {}),
    ...(optOut ? { optOut } : {}),
  };
  return {
    outcome,
    session: last.session,
    intent: weighty.intent,
    source: weighty.source,
    placedOrderIds: answers.flatMap((a) => a.placedOrderIds),
    misunderstood: replying.every((a) => a.misunderstood),
    handoff: answers.find((a) => a.handoff)?.handoff,
  };
}

/**
 * One question of a burst: a payment receipt first (a picture, or "ya les pagué", while a transfer is
 * awaited: a person checks it), then the business's facts, then the flows.
 */
async function answerQuestion(db: Queryable, burst: CustomerTurn[], ctx: BurstContext): Promise<BurstResult> {
  const receipt = await receiptTurn(db, ctx.phone, burst, ctx.session);
  if (!receipt) return withBusinessFacts(db, burst, ctx, answer);
  const { intent, source } = readIntent(burst, ctx.understanding);
  const outcome: TurnOutcome = { action: 'reply', replies: receipt.replies, ...(ctx.previousTurns === 0 ? { labels: { add: ['nuevo'] } } : {}) };
  return { outcome, session: ctx.session, intent, source, placedOrderIds: [], handoff: 'payment_receipt' };
}

async function answer(db: Queryable, burst: CustomerTurn[], ctx: BurstContext): Promise<BurstResult> {
  const last = burst[burst.length - 1];
  const memory = ctx.session.context;
  const { intent, source } = readIntent(burst, ctx.understanding);
  const words = burstWords(burst);
  const items = (last.details.order as { items?: { sku?: string; quantity?: number }[] } | undefined)?.items ?? [];
  const entities = ctx.understanding?.entities ?? classify(words).entities;
  let turn: ShopTurn = {
    phone: ctx.phone,
    customerName: burst.find((t) => t.customerName)?.customerName ?? null,
    intent,
    entities,
    action: shopActionOf(last.replyId),
    catalogueOrder: last.kind === 'order' ? items.filter((i) => i.sku && i.quantity).map((i) => ({ sku: i.sku!, quantity: Math.min(i.quantity!, 99) })) : undefined,
    text: words,
  };
  const conversational = !turn.action && ALWAYS_CONVERSATION.has(intent);
  const newGuest = ctx.previousTurns === 0 ? { labels: { add: ['nuevo'] } } : {};
  const base = { session: ctx.session, intent, source, placedOrderIds: [] as number[] };
  // the first hello of a conversation is answered once; later ones get no second introduction
  const greets = opensWithGreeting(burst) && !memory.greeted;

  // words that point at what was just shown ("me la llevo", "quita una", "la segunda", "el de 1 litro")
  if (!turn.action && !conversational && words && !isCheckingOut(ctx.session)) {
    const resolved = await resolveReference(db, ctx.phone, { intent, entities, words }, { ...memory, ...(ctx.justAdded ? { justAdded: ctx.justAdded } : {}) });
    if (resolved && 'reply' in resolved) return { ...base, outcome: { action: 'reply', replies: [resolved.reply], ...newGuest } };
    if (resolved) turn = { ...turn, action: resolved.action };
  }

  // mid-checkout, words are the checkout's answers ("Calle 10 # 43-20, El Poblado" is an address, not a rental question)
  if (!isCheckingOut(ctx.session) && !conversational && !turn.action && (await isBookingTurn(db, { intent, words, replyId: last.replyId, kind: last.kind }, ctx.session))) {
    const booked = await bookingTurn(db, { phone: ctx.phone, words, replyId: last.replyId, sentAt: last.sentAt }, ctx.session);
    // a rental question with nothing to quote and nothing learned is better answered by the AI's reply, when it wrote one
    if (booked.learnedNothing && ctx.understanding?.aiReply) {
      return { ...base, outcome: respond(burst, { previousTurns: ctx.previousTurns, greeted: memory.greeted }, ctx.understanding) };
    }
    return { ...base, outcome: { action: 'reply', replies: greetFirst(booked.replies, greets, turn.customerName), ...newGuest }, session: booked.session, intent: 'booking_inquiry' };
  }

  if (isShopTurn(turn, ctx.session) && !(isCheckingOut(ctx.session) && conversational)) {
    const shop = await shopTurn(db, turn, ctx.session, ctx.checkout);
    // "hola, tienen camisas?" deserves the hello as well as the answer
    const outcome: TurnOutcome = { action: 'reply', replies: greetFirst(shop.replies, greets, turn.customerName), ...newGuest };
    return { ...base, outcome, session: shop.session, placedOrderIds: shop.placedOrderIds ?? [] };
  }

  const unanswered = intent === 'unknown' && !ctx.understanding?.aiReply && words !== '' && !isAcknowledgement(words);
  // "y mancuernas?", "algo para la lluvia": no verb to read, but the catalogue knows the words or the need
  const named = unanswered && !opensWithGreeting(burst) ? await catalogueTakes(db, words) : undefined;
  if (named) {
    const shop = await shopTurn(db, { ...turn, intent: 'search_products', entities: { query: named } }, ctx.session, ctx.checkout);
    return { ...base, outcome: { action: 'reply', replies: greetFirst(shop.replies, greets, turn.customerName), ...newGuest }, session: shop.session, intent: 'search_products' };
  }
  // a question about the business that nothing written down answers: said plainly, and a person sees it
  if (unanswered && looksLikeQuestion(words) && (asksAboutTheBusiness(words) || (Boolean(memory.quoted?.length) && looksLikeFactQuestion(words, { place: true })))) {
    return { ...base, outcome: { action: 'reply', replies: greetFirst([questionForTheTeam()], greets, turn.customerName), ...newGuest }, handoff: 'question' };
  }
  const misunderstood = unanswered && !opensWithGreeting(burst);
  return { ...base, outcome: respond(burst, { previousTurns: ctx.previousTurns, greeted: memory.greeted }, ctx.understanding), misunderstood };
}

/** The hello put in front of the first answer of a conversation, when the customer opened with one. */
function greetFirst(replies: OutboundContent[], greets: boolean, name: string | null): OutboundContent[] {
  if (!greets || !replies.length) return replies;
  const hello = `¡Hola${name ? `, ${name.trim().split(/\s+/)[0].slice(0, 30)}` : ''}! 👋 `;
  const [first, ...rest] = replies;
  if (first.type === 'text') return [{ ...first, text: hello + first.text }, ...rest];
  if (first.type === 'buttons' || first.type === 'list') return [{ ...first, body: hello + first.body }, ...rest];
  return replies;
}
