import type { Queryable } from '../db/client.ts';
import { cartTotals, getCart, type Cart, type CartTotals } from '../commerce/cart.ts';
import { latestOrders, type OrderSummary } from '../commerce/orders.ts';
import { getGuestProfile, type GuestProfile } from '../crm/profiles.ts';
import { replyWindowOf, type ReplyWindow } from './reply-window.ts';
import { UNREAD_CAP } from './conversation-list.ts';
import { isSimulatorChat } from './simulator-chat.ts';

// One chat as the console's side panel shows it: the customer's profile and labels, their shop record,
// the cart and latest orders, who has the chat, whether a free-form reply can go (24 h), unread messages.

export interface ConversationView {
  chatId: string;
  profile: GuestProfile;
  customer: { tier: string; totalOrders: number; optedOutAt: Date | null } | null;
  handoff: {
    id: number;
    reason: string;
    pausesBot: boolean;
    takenBy: string | null;
    startedAt: Date;
    resumeAt: Date;
    lastMessage: string | null;
  } | null;
  cart: Cart & { totals: CartTotals };
  orders: OrderSummary[];
  window: ReplyWindow;
  unread: number;
  simulator: boolean;
}

export const ORDERS_SHOWN = 5;

export async function readConversation(db: Queryable, chatId: string): Promise<ConversationView | undefined> {
  const profile = await getGuestProfile(db, chatId);
  if (!profile) return undefined;
  const [[customer], [handoff], cart, orders, window, [{ unread }]] = await Promise.all([
    db<NonNullable<ConversationView['customer']>[]>`
      SELECT customer_tier AS tier, total_orders AS "totalOrders", opted_out_at AS "optedOutAt" FROM customers WHERE phone = ${chatId}`,
    db<NonNullable<ConversationView['handoff']>[]>`
      SELECT id, reason, pauses_bot AS "pausesBot", taken_by AS "takenBy", started_at AS "startedAt", resume_at AS "resumeAt", last_message AS "lastMessage"
        FROM handoffs WHERE chat_id = ${chatId} AND ended_at IS NULL`,
    getCart(db, chatId),
    latestOrders(db, chatId, ORDERS_SHOWN),
    replyWindowOf(db, chatId),
    db<{ unread: number }[]>`
      SELECT count(*)::int AS unread FROM (
        SELECT 1 FROM inbound_messages i LEFT JOIN chat_reads r ON r.chat_id = i.chat_id
         WHERE i.chat_id = ${chatId} AND i.kind <> 'system' AND i.received_at > coalesce(r.read_up_to, '-infinity') LIMIT ${UNREAD_CAP}) u`,
  ]);
  return {
    chatId,
    profile,
    customer: customer ?? null,
    handoff: handoff ?? null,
    cart: { ...cart, totals: cartTotals(cart.lines) },
    orders,
    window,
    unread,
    simulator: isSimulatorChat(chatId),
  };
}
