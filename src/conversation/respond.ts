import { askForText, goodbye, helpMenu, notUnderstood, thanksFor, welcome, youAreWelcome } from './texts.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import type { CustomerTurn, TurnContext, TurnOutcome } from './turn.ts';

// Placeholder understanding for the pipeline: a handful of keywords and the menu. Issue 4 replaces
// this with the real Spanish intent detection; the shape (turns in, outcome out) stays.

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

const GREETING = /\b(hola|ola|buen[oa]s?( dias| tardes| noches)?|quiubo|hey|saludos)\b/;
const HELP = /\b(ayuda|menu|opciones|que puedo hacer|como funciona)\b/;
const THANKS = /\b(gracias|grax|muy amable)\b/;
const BYE = /\b(chao|adios|hasta (luego|manana|pronto)|nos vemos)\b/;

/** Decide the reply to a burst of turns from one customer (usually one turn). */
export function respond(turns: CustomerTurn[], context: TurnContext = { previousTurns: 1 }): TurnOutcome {
  const outcome = decide(turns);
  // a first conversation marks the guest "nuevo" for the team and for campaigns
  return context.previousTurns === 0 ? { ...outcome, labels: { add: ['nuevo'] } } : outcome;
}

function decide(turns: CustomerTurn[]): TurnOutcome {
  const last = turns[turns.length - 1];
  const name = turns.find((t) => t.customerName)?.customerName ?? null;
  const words = fold(turns.map((t) => t.text ?? '').join(' ')).trim();

  if (last.replyId === 'menu:help' || last.replyId === 'help' || last.replyId === 'menu') return reply(helpMenu());
  switch (last.kind) {
    case 'reaction':
    case 'system':
    case 'sticker':
      // nothing to answer: a reaction or sticker is not a question, a system notice is not from a person
      if (!words) return { action: 'skip', reason: `${last.kind} needs no reply` };
      break;
    case 'audio':
      if (!words) return reply(askForText('nota de voz'));
      break;
    case 'image':
    case 'video':
    case 'document':
      if (!words) return reply(askForText(last.kind === 'image' ? 'imagen' : last.kind === 'video' ? 'video' : 'documento'));
      break;
    case 'location':
      if (!words) return reply(thanksFor('tu ubicación'));
      break;
    case 'contacts':
      return reply(thanksFor('el contacto'));
    case 'unsupported':
      return reply(askForText('mensaje'));
  }

  if (GREETING.test(words)) return reply(welcome(name));
  if (HELP.test(words)) return reply(helpMenu());
  if (THANKS.test(words)) return reply(youAreWelcome());
  if (BYE.test(words)) return reply(goodbye());
  return reply(notUnderstood());
}

const reply = (...replies: OutboundContent[]): TurnOutcome => ({ action: 'reply', replies });
