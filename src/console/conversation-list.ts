import type { Queryable } from '../db/client.ts';
import { inboundPlaceholder } from './placeholders.ts';
import { isSimulatorChat } from './simulator-chat.ts';

// Every chat for the console's list: newest customer activity first, who it is, the last message either
// way, who has the chat (the bot, or a person), unread messages, and whether a cart or an order is open.
// Keyset paging on (last_interaction, chat) so a page is as cheap deep in the list as at the top.

export const CHAT_FILTERS = ['all', 'person', 'cart', 'order'] as const;
export type ChatFilter = (typeof CHAT_FILTERS)[number];
/** Unread counts stop here ("99+"): counting a chat's whole past to say 1,204 helps nobody. */
export const UNREAD_CAP = 100;
export const MAX_PAGE = 100;
/** Words said are searched from three characters: shorter ones have no trigram to look up (migration 018). */
export const WORDS_MIN = 3;

export interface ListOptions {
  /** person: an open handoff; cart: items in the cart; order: an order not yet delivered or cancelled */
  filter?: ChatFilter;
  label?: string;
  /** name, number, label, or words the customer wrote (from three characters; accents and case ignored) */
  q?: string;
  /** the `next` cursor of the previous page */
  before?: string;
  limit?: number;
}

export type ChatHolder = { by: 'bot' } | { by: 'person'; name: string | null; reason: string; since: Date; resumeAt: Date };

export interface ChatSummary {
  chatId: string;
  name: string | null;
  username: string | null;
  labels: string[];
  lastActivityAt: Date;
  last: { direction: 'in' | 'out'; text: string; at: Date; operator: string | null } | null;
  holder: ChatHolder;
  /** an open handoff that leaves the bot answering (a receipt to check, a question for the team) */
  needsAttention: string | null;
  unread: number;
  hasCart: boolean;
  hasOpenOrder: boolean;
  simulator: boolean;
}

export interface ChatPage {
  items: ChatSummary[];
  /** cursor for the next page (pass as `before`), null at the end */
  next: string | null;
  /** open handoffs across all chats, for the "needs a person" tab */
  needingPerson: number;
}

interface Row {
  chatId: string;
  name: string | null;
  username: string | null;
  labels: string[];
  lastActivityAt: Date;
  cursor: string;
  handoffReason: string | null;
  pausesBot: boolean | null;
  takenBy: string | null;
  handoffSince: Date | null;
  resumeAt: Date | null;
  lastDirection: 'in' | 'out' | null;
  lastKind: string | null;
  lastText: string | null;
  lastDetails: Record<string, unknown> | null;
  lastAt: Date | null;
  lastOperator: string | null;
  unread: number;
  hasCart: boolean;
  hasOpenOrder: boolean;
}

/** `%…%` for LIKE with the user's own % and _ taken literally. */
const containing = (words: string) => `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listConversations(db: Queryable, opts: ListOptions = {}): Promise<ChatPage> {
  const limit = Math.min(opts.limit ?? 50, MAX_PAGE);
  const filter = opts.filter ?? 'all';
  const q = opts.q?.trim();
  const pattern = q ? containing(q.toLowerCase()) : undefined;
  const digits = q?.replace(/\D/g, '') ?? '';
  const where = [db`true`];
  if (filter === 'person') where.push(db`h.id IS NOT NULL`);
  if (filter === 'cart') where.push(db`EXISTS (SELECT 1 FROM cart_items c WHERE c.phone = g.phone_number)`);
  if (filter === 'order') where.push(db`EXISTS (SELECT 1 FROM orders o WHERE o.phone = g.phone_number AND o.status IN ('confirmed', 'paid', 'shipped'))`);
  if (opts.label?.trim()) where.push(db`lower_labels(g.labels) @> jsonb_build_array(lower(${opts.label.trim()}::text))`);
  if (opts.before) where.push(db`(g.last_interaction, g.phone_number) < (${cursorTime(opts.before)}::text::timestamptz, ${cursorChat(opts.before)})`);
  if (pattern) {
    // the matching chats first, each way through its trigram index (migration 018), then listed as any page
    const folded = db`immutable_unaccent(${pattern})`;
    where.push(db`g.phone_number IN (
      SELECT s.phone_number FROM guest_profiles s WHERE guest_search_text(s.user_name, s.phone_number, s.labels) LIKE ${folded}
      ${digits.length >= 3 && digits !== q ? db`UNION SELECT s.phone_number FROM guest_profiles s WHERE guest_search_text(s.user_name, s.phone_number, s.labels) LIKE ${containing(digits)}` : db``}
      ${q!.length >= WORDS_MIN ? db`UNION SELECT l.customer_phone FROM message_logs l WHERE immutable_unaccent(lower(l.message_text)) LIKE ${folded}` : db``})`);
  }
  const [rows, [{ needingPerson }]] = await Promise.all([
    db<Row[]>`
      SELECT g.phone_number AS "chatId", g.user_name AS name, g.profile_data->>'username' AS username, g.labels,
             g.last_interaction AS "lastActivityAt",
             to_char(g.last_interaction AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || g.phone_number AS cursor,
             h.reason AS "handoffReason", h.pauses_bot AS "pausesBot", h.taken_by AS "takenBy", h.started_at AS "handoffSince", h.resume_at AS "resumeAt",
             last.direction AS "lastDirection", last.kind AS "lastKind", last.text AS "lastText", last.details AS "lastDetails",
             last.at AS "lastAt", last.operator AS "lastOperator",
             (SELECT count(*)::int FROM (
                SELECT 1 FROM inbound_messages i
                 WHERE i.chat_id = g.phone_number AND i.kind <> 'system' AND i.received_at > coalesce(r.read_up_to, '-infinity')
                 LIMIT ${UNREAD_CAP}) u) AS unread,
             EXISTS (SELECT 1 FROM cart_items c WHERE c.phone = g.phone_number) AS "hasCart",
             EXISTS (SELECT 1 FROM orders o WHERE o.phone = g.phone_number AND o.status IN ('confirmed', 'paid', 'shipped')) AS "hasOpenOrder"
        FROM guest_profiles g
        LEFT JOIN chat_reads r ON r.chat_id = g.phone_number
        LEFT JOIN handoffs h ON h.chat_id = g.phone_number AND h.ended_at IS NULL
        LEFT JOIN LATERAL (
          SELECT * FROM (
            (SELECT 'in' AS direction, i.kind, coalesce(i.text, i.reply_id) AS text, i.details, i.received_at AS at, NULL::text AS operator
               FROM inbound_messages i WHERE i.chat_id = g.phone_number ORDER BY i.received_at DESC LIMIT 1)
            UNION ALL
            (SELECT 'out', o.content->>'type', coalesce(o.content->>'text', o.content->>'body'), NULL::jsonb, o.created_at, o.operator_name
               FROM outbox o WHERE o.chat_id = g.phone_number ORDER BY o.created_at DESC LIMIT 1)
          ) both_ways ORDER BY at DESC LIMIT 1) last ON true
       WHERE ${where.reduce((all, w) => db`${all} AND ${w}`)}
       ORDER BY g.last_interaction DESC, g.phone_number DESC
       LIMIT ${limit + 1}`,
    db<{ needingPerson: number }[]>`SELECT count(*)::int AS "needingPerson" FROM handoffs WHERE ended_at IS NULL`,
  ]);
  const page = rows.slice(0, limit);
  return { items: page.map(toSummary), next: rows.length > limit ? page[page.length - 1].cursor : null, needingPerson };
}

function toSummary(r: Row): ChatSummary {
  const pauses = r.handoffReason !== null && r.pausesBot === true;
  return {
    chatId: r.chatId,
    name: r.name,
    username: r.username,
    labels: r.labels,
    lastActivityAt: r.lastActivityAt,
    last: r.lastDirection && r.lastAt
      ? { direction: r.lastDirection, text: messagePreview(r.lastDirection, r.lastKind, r.lastText, r.lastDetails), at: r.lastAt, operator: r.lastOperator }
      : null,
    holder: pauses ? { by: 'person', name: r.takenBy, reason: r.handoffReason!, since: r.handoffSince!, resumeAt: r.resumeAt! } : { by: 'bot' },
    needsAttention: r.handoffReason !== null && !pauses ? r.handoffReason : null,
    unread: r.unread,
    hasCart: r.hasCart,
    hasOpenOrder: r.hasOpenOrder,
    simulator: isSimulatorChat(r.chatId),
  };
}

function messagePreview(direction: 'in' | 'out', kind: string | null, text: string | null, details: Record<string, unknown> | null): string {
  if (direction === 'out') return text ?? (kind === 'template' ? 'Plantilla' : '');
  const placeholder = inboundPlaceholder(kind ?? 'unsupported', details ?? {});
  return placeholder ? (text ? `${placeholder}: ${text}` : placeholder) : text ?? '';
}

/** A cursor is `<ISO time with microseconds>|<chat id>`, as the previous page gave it. */
export const CURSOR_PATTERN = '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\\|.+$';
const cursorTime = (cursor: string) => cursor.slice(0, cursor.indexOf('|'));
const cursorChat = (cursor: string) => cursor.slice(cursor.indexOf('|') + 1);
