import type { Ai } from '../ai/create-ai.ts';
import type { ChatMessage } from '../ai/provider.ts';
import { understandWithAi, type Understanding } from '../conversation/understand.ts';
import type { KnowledgeSource } from '../crm/business-knowledge.ts';
import { knowledgeFor } from '../facts/relevant-knowledge.ts';
import { profileFacts } from '../crm/guest-context.ts';
import { conversationHistory, type HistoryEntry } from '../crm/history.ts';
import { getGuestProfile } from '../crm/profiles.ts';
import type { Sql } from '../db/client.ts';
import type { InboundRow } from '../db/inbox.ts';
import type { WhatsAppSender } from '../whatsapp/sender.ts';
import { pickOption } from '../conversation/options.ts';
import { readMemory } from '../conversation/memory.ts';
import type { SessionStore } from '../crm/sessions.ts';

/** How much of the chat the AI reply sees: the last dozen messages in and out. */
const HISTORY_MESSAGES = 12;

/** The history view as chat turns; a message without words shows as its kind ("[audio]"). */
export function historyAsChat(entries: HistoryEntry[]): ChatMessage[] {
  return entries.map((h) => ({ role: h.direction === 'in' ? 'user' : 'assistant', content: (h.text ?? `[${h.kind}]`).slice(0, 1000) }));
}

/**
 * The converse stage's `understand` dependency: the AI reading of a burst with its context (history,
 * profile, business knowledge) read from the pool — never from the stage's transaction, which is not
 * open yet — and "typing…" shown to the customer while the model works.
 */
export function createBurstUnderstanding(opts: { sql: Sql; ai: Ai; sender: WhatsAppSender; knowledge: KnowledgeSource; sessions: Pick<SessionStore, 'peek'> }) {
  const { sql, ai, sender, knowledge } = opts;
  return async (burst: InboundRow[]): Promise<Understanding | undefined> => {
    const last = burst[burst.length - 1];
    const chatId = last.chatId;
    // "2" or "Ver carrito" typed in answer to our last options is that tap (handle-burst reads it so):
    // no model call, no "typing…" for it
    if (last.text && !last.replyId) {
      const session = await opts.sessions.peek(chatId).catch(() => undefined);
      if (pickOption(last.text, readMemory(session?.context).lastOptions)) return undefined;
    }
    return understandWithAi(burst, {
      ai: ai.router,
      beforeAi: () => {
        if (last.provider !== sender.provider) return;
        void sender.showTyping({ providerMessageId: last.providerMessageId, providerChatId: last.providerChatId ?? `${chatId}@s.whatsapp.net` }).catch(() => {});
      },
      history: async () => historyAsChat(await conversationHistory(sql, chatId, { limit: HISTORY_MESSAGES })),
      knowledge: (question) => knowledgeFor(sql, question, () => knowledge.text()),
      guestFacts: async () => {
        const profile = await getGuestProfile(sql, chatId);
        return profile ? profileFacts(profile) : [];
      },
    });
  };
}
