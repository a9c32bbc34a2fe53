import type { Queryable } from '../db/client.ts';
import { classify } from './keywords/classify.ts';
import { opensWithGreeting, readIntent, respond } from './respond.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { isCheckingOut, type CheckoutSettings } from './shop/checkout.ts';
import { isShopTurn, shopTurn, type ShopSession, type ShopTurn } from './shop/flows.ts';
import { shopActionOf } from './shop/ids.ts';
import type { CustomerTurn, TurnOutcome } from './turn.ts';
import { burstWords, type Understanding } from './understand.ts';

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
}

/** Mid-checkout these still reach the conversation: a person asked for, or no more messages. */
const ALWAYS_CONVERSATION = new Set(['human_agent', 'opt_out']);

/**
 * One burst of a customer's messages, answered: the shop takes browsing, search, cart, checkout and
 * orders (with the database, inside the caller's transaction); everything else is the conversation's
 * pure `respond`. The first burst of a new guest is labelled "nuevo" either way.
 */
export async function handleBurst(db: Queryable, burst: CustomerTurn[], ctx: BurstContext): Promise<BurstResult> {
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
  if (isShopTurn(turn, ctx.session) && !(isCheckingOut(ctx.session) && conversational)) {
    const shop = await shopTurn(db, turn, ctx.session, ctx.checkout);
    // "hola, tienen camisas?" deserves the hello as well as the answer
    const replies = opensWithGreeting(burst) && shop.replies.length ? [greet(shop.replies[0], turn.customerName), ...shop.replies.slice(1)] : shop.replies;
    const outcome: TurnOutcome = { action: 'reply', replies, ...(ctx.previousTurns === 0 ? { labels: { add: ['nuevo'] } } : {}) };
    return { outcome, session: shop.session, intent, source, placedOrderIds: shop.placedOrderIds ?? [] };
  }
  return { outcome: respond(burst, { previousTurns: ctx.previousTurns }, ctx.understanding), session: ctx.session, intent, source, placedOrderIds: [] };
}

function greet(content: OutboundContent, name: string | null): OutboundContent {
  const hello = `¡Hola${name ? `, ${name.trim().split(/\s+/)[0].slice(0, 30)}` : ''}! 👋 `;
  if (content.type === 'text') return { ...content, text: hello + content.text };
  if (content.type === 'buttons' || content.type === 'list') return { ...content, body: hello + content.body };
  return content;
}
