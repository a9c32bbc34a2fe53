import type { OutboundContent } from '../whatsapp/types.ts';
import { DEFAULT_TIME_ZONE, today } from '../bookings/calendar.ts';

// The assistant's fixed Spanish texts. Short, warm, and useful without buttons (some clients show none).

export const MENU_BUTTONS = [
  { id: 'menu:catalogue', title: 'Ver catálogo' },
  { id: 'menu:cart', title: 'Mi carrito' },
  { id: 'menu:agent', title: 'Hablar con asesor' },
];

export function welcome(name: string | null): OutboundContent {
  const hello = name ? `¡Hola, ${firstName(name)}! 👋` : '¡Hola! 👋';
  return {
    type: 'buttons',
    body: `${hello} Soy el asistente virtual de la tienda. Puedo mostrarte el catálogo, buscar productos, armar tu carrito y ayudarte con tus pedidos o reservas. ¿Qué necesitas?`,
    buttons: MENU_BUTTONS,
  };
}

/** "hola" again mid-conversation: a short hello, not the whole introduction a second time. */
export function welcomeBack(): OutboundContent {
  return { type: 'buttons', body: '¡Hola de nuevo! 😊 ¿En qué más te ayudo?', buttons: MENU_BUTTONS };
}

/** "ok", "listo", "👍": the customer acknowledged; nothing to ask back, no menu pushed at them. */
export const acknowledged = (): OutboundContent => ({ type: 'text', text: '👍 ¡Listo! Aquí sigo si necesitas algo más.' });

/** A question about the business that nothing written down answers: no guess, a person answers it. */
export const questionForTheTeam = (): OutboundContent => ({
  type: 'text',
  text: 'No tengo esa información a la mano 🙏. Le paso tu pregunta a una persona del equipo y te responde por aquí mismo lo antes posible. Mientras tanto, puedo mostrarte el catálogo o tu carrito.',
});

/** "Ya les pagué" with an order waiting for a transfer: a person checks the account. */
export const paymentToCheck = (): OutboundContent => ({
  type: 'text',
  text: '¡Gracias! Le aviso al equipo para que confirme tu pago y te avisamos por aquí. Si tienes el comprobante, envíalo por este chat 🧾.',
});

/** A payment receipt arrived (a picture or document after choosing transfer): a person checks it. */
export const receiptReceived = (): OutboundContent => ({
  type: 'text',
  text: '¡Gracias! Recibí tu comprobante 🧾. Una persona del equipo lo revisa y te confirma el pago por aquí mismo.',
});

export function helpMenu(): OutboundContent {
  return {
    type: 'buttons',
    body: 'Esto es lo que puedo hacer por ti:\n• Escribe lo que buscas (ej. "zapatos negros")\n• "Ver catálogo" para las categorías\n• "Mi carrito" para revisar tu pedido\n• "Asesor" para hablar con una persona',
    buttons: MENU_BUTTONS,
  };
}

export function notUnderstood(): OutboundContent {
  return {
    type: 'buttons',
    body: 'No estoy seguro de haber entendido 🤔. Puedes escribirme qué producto buscas, o elegir una opción:',
    buttons: MENU_BUTTONS,
  };
}

/** A booking question with no AI to answer it: ask for what a quote needs, and offer a person. */
export function bookingHelp(): OutboundContent {
  return {
    type: 'buttons',
    body: '¡Con gusto te ayudo con tu reserva! 🏡 Cuéntame las fechas de llegada y salida y cuántas personas son, y te confirmo disponibilidad y precio.',
    buttons: [MENU_BUTTONS[2]],
  };
}

export const askForText = (what: string): OutboundContent => ({
  type: 'text',
  text: `Recibí tu ${what}, gracias. Por ahora solo puedo leer mensajes de texto: ¿me cuentas por escrito en qué te ayudo? 🙏`,
});

export const thanksFor = (what: string): OutboundContent => ({ type: 'text', text: `¡Gracias por compartir ${what}! ¿En qué más te puedo ayudar?` });

export const youAreWelcome = (): OutboundContent => ({ type: 'text', text: '¡Con gusto! Aquí estoy si necesitas algo más 😊' });

export const goodbye = (): OutboundContent => ({ type: 'text', text: '¡Hasta pronto! Que tengas un excelente día 👋' });

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0].slice(0, 30);
}

/**
 * Told once per window when a customer's messages are held by the rate limit. It is a promise the
 * pipeline keeps (the held messages are answered when the window frees up), so it says when, plainly:
 * "unos 40 segundos", "un minuto", "unas 3 horas", or "mañana" when that is another day where the
 * business is (the day window can hold until then).
 */
export function rateLimitNotice(retryAfterMs: number, now = new Date(), timeZone = DEFAULT_TIME_ZONE): OutboundContent {
  return { type: 'text', text: `Recibí tus mensajes 🙏 Te respondo ${whenAgain(retryAfterMs, now, timeZone)}.` };
}

function whenAgain(ms: number, now: Date, timeZone: string): string {
  const seconds = Math.max(5, Math.ceil(ms / 5000) * 5); // "unos 40 segundos", never "unos 37"
  if (seconds < 60) return `en unos ${seconds} segundos`;
  const minutes = Math.ceil(ms / 60_000);
  if (minutes === 1) return 'en un minuto';
  if (minutes < 60) return `en unos ${minutes} minutos`;
  if (today(new Date(now.getTime() + ms), timeZone) !== today(now, timeZone)) return 'mañana';
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? 'en una hora' : `en unas ${hours} horas`;
}

/** The customer asked not to be written to: confirm once; nothing but answers to their own messages after this. */
export const optOutConfirmation = (): OutboundContent => ({
  type: 'text',
  text: 'Listo, no te enviaremos más mensajes promocionales. Si nos escribes, con gusto te responderemos. 🙏',
});

/** A person was asked for: the team is told and the bot steps back in this chat (src/conversation/handoff.ts). */
export const humanRequested = (): OutboundContent => ({
  type: 'text',
  text: 'Entendido, le aviso a una persona del equipo para que te atienda por aquí mismo. Te responderemos lo antes posible. 🙋',
});

/** The bot kept missing what the customer meant: a person takes over rather than a fourth "no entendí". */
export const handedOverAfterMisses = (): OutboundContent => ({
  type: 'text',
  text: 'Perdona, no logro entenderte bien 🙏. Le paso tu conversación a una persona del equipo, que te responderá por aquí mismo lo antes posible.',
});

const HANDOFF_REASON_TEXT: Record<string, string> = {
  requested: 'pide hablar con una persona',
  not_understood: 'no logra que el bot le entienda',
  complaint: 'tiene una queja o reclamo',
  payment_receipt: 'envió un comprobante de pago para revisar',
  question: 'hizo una pregunta que el bot no sabe responder',
};

/** One line for the team about a new handoff: who, why, what they said last. */
export function handoffSummary(h: { chatId: string; customerName: string | null; reason: string; lastMessage: string | null }): string {
  // a customer known only by business-scoped id or username has no number to show
  const id = /^\d+$/.test(h.chatId) ? `+${h.chatId}` : h.chatId;
  const who = h.customerName ? `${h.customerName} (${id})` : id;
  const why = HANDOFF_REASON_TEXT[h.reason] ?? 'necesita a una persona';
  return `🙋 ${who} ${why}.${h.lastMessage ? `\nÚltimo mensaje: «${h.lastMessage.slice(0, 300)}»` : ''}`;
}

/** What the operator's WhatsApp is told of a new handoff, and how to give the chat back. */
export function operatorHandoffNotice(h: Parameters<typeof handoffSummary>[0] & { resumeHours: number; pausesBot?: boolean }): OutboundContent {
  return {
    type: 'text',
    text: h.pausesBot === false
      ? `${handoffSummary(h)}\nEl bot sigue atendiendo ese chat; respóndele desde el panel (/admin).`
      : `${handoffSummary(h)}\nEl bot no responderá en ese chat hasta que lo reanudes en el panel (/admin) o pasen ${h.resumeHours} h.`,
  };
}
