import { classify, intentFromReplyId, type Intent } from './keywords/classify.ts';
import { acknowledged, askForText, bookingHelp, goodbye, helpMenu, humanRequested, notUnderstood, optOutConfirmation, thanksFor, welcome, welcomeBack, youAreWelcome } from './texts.ts';
import { isAcknowledgement } from './acknowledgement.ts';
import { burstWords, type Understanding } from './understand.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import type { CustomerTurn, TurnContext, TurnOutcome } from './turn.ts';

// Understanding comes from the AI when it answered (./understand.ts, done before the transaction) and
// from the keyword path otherwise (src/conversation/keywords). Questions no flow answers get the AI's
// reply when there is one, else a canned answer with the menu: never silence, never an error text.
// Intents that need the shop answer with the menu for now; a request for a person labels the guest.

/** Decide the reply to a burst of turns from one customer (usually one turn). */
export function respond(turns: CustomerTurn[], context: TurnContext = { previousTurns: 1 }, understanding?: Understanding): TurnOutcome {
  const outcome = decide(turns, understanding, context.greeted === true);
  // a first conversation marks the guest "nuevo" for the team and for campaigns
  if (context.previousTurns !== 0) return outcome;
  return { ...outcome, labels: { ...outcome.labels, add: [...(outcome.labels?.add ?? []), 'nuevo'] } };
}

/** "hola" / "hola, tienen…" / "buenas tardes, una pregunta": the burst starts by greeting. */
export function opensWithGreeting(turns: CustomerTurn[]): boolean {
  const opening = (turns[0].text ?? '').split(/[\s,.!?¿¡]+/).filter(Boolean);
  return [1, 2].some((n) => opening.length >= n && classify(opening.slice(0, n).join(' ')).intent === 'greeting');
}

/** What the burst asks for, and who said so: a tapped button, the AI's reading, or the keywords. */
export function readIntent(turns: CustomerTurn[], understanding?: Understanding): { intent: Intent; source: 'button' | 'ai' | 'keywords' } {
  const last = turns[turns.length - 1];
  const tapped = last.replyId ? intentFromReplyId(last.replyId) : undefined;
  if (tapped) return { intent: tapped, source: 'button' };
  if (understanding) return { intent: understanding.intent, source: understanding.source };
  return { intent: classify(burstWords(turns)).intent, source: 'keywords' };
}

function decide(turns: CustomerTurn[], understanding: Understanding | undefined, greetedBefore: boolean): TurnOutcome {
  const last = turns[turns.length - 1];
  const name = turns.find((t) => t.customerName)?.customerName ?? null;
  const words = burstWords(turns);

  // a picture the AI described is understood like words; one nobody could read gets the acknowledgement
  if ((!words || !understanding) && !turns.some((t) => t.text) && !last.replyId) {
    switch (last.kind) {
      case 'reaction':
      case 'system':
      case 'sticker':
        // nothing to answer: a reaction or sticker is not a question, a system notice is not from a person
        return { action: 'skip', reason: `${last.kind} needs no reply` };
      case 'audio':
        return reply(askForText('nota de voz'));
      case 'image':
        return reply(askForText('imagen'));
      case 'video':
        return reply(askForText('video'));
      case 'document':
        return reply(askForText('documento'));
      case 'location':
        return reply(thanksFor('tu ubicación'));
      case 'contacts':
        return reply(thanksFor('el contacto'));
      default:
        return reply(askForText('mensaje'));
    }
  }

  // a tapped button means exactly what it says; otherwise the burst is read as one message
  const { intent } = readIntent(turns, understanding);
  const aiReply = understanding?.aiReply;
  // a greeting that opens the burst ("hola" / "una pregunta", "hola, tienen este?") still deserves the welcome
  const greeted = intent === 'greeting' || opensWithGreeting(turns);
  const hello = () => (greetedBefore ? welcomeBack() : welcome(name));
  switch (intent) {
    case 'thanks':
      return reply(youAreWelcome());
    case 'goodbye':
      return reply(goodbye());
    case 'opt_out':
      return { action: 'reply', replies: [optOutConfirmation()], labels: { add: ['no_contactar'] }, optOut: true };
    case 'human_agent':
      // the handoff itself (pause, label, notices) is opened by the converse stage: src/conversation/handoff.ts
      return reply(humanRequested());
    case 'unknown':
      if (aiReply) return reply({ type: 'text', text: aiReply });
      if (isAcknowledgement(words)) return reply(acknowledged());
      return reply(greeted ? hello() : notUnderstood());
    case 'booking_inquiry':
      return reply(aiReply ? { type: 'text', text: aiReply } : bookingHelp());
    case 'greeting':
      return reply(hello());
    default:
      // help, catalogue, search, cart, checkout, orders, bookings: the menu until the shop exists
      return reply(greeted ? hello() : helpMenu());
  }
}

const reply = (...replies: OutboundContent[]): TurnOutcome => ({ action: 'reply', replies });
