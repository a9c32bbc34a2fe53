import { foldAccents } from '../lib/text.ts';

// "ok", "listo", "dale", "perfecto", "👍": the customer acknowledges what the bot said. Nothing to ask back
// and nothing misunderstood: such a message must never replay the last question (a pending rental
// question, "no entendí") nor count toward handing the chat to a person. Mid-checkout "listo" or "dale"
// still confirms: the checkout reads its answers before anything else does.

const ACK_WORD = String.raw`(?:ok|okey|okay|oki|okis|vale|listo|lista|dale|perfecto|perfecta|genial|super|bien|muy bien|bueno|buenisimo|de una|entendido|entiendo|claro|ya|va|sale|chevere|bacano|excelente|hecho|de acuerdo|si|sip|aja|okas|oka|gracias|mil gracias)`;
const ACK = new RegExp(String.raw`^(?:${ACK_WORD})(?:[\s,.!]+(?:${ACK_WORD}))*$`);

/** True for an acknowledgement: a few "ok"-words, or nothing but emoji. */
export function isAcknowledgement(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  // only pictographs, skin tones, joiners and punctuation: 👍, 👌🏽, 🙏🙏, ❤️
  if (!/[\p{L}\p{N}]/u.test(t) && /\p{Extended_Pictographic}/u.test(t)) return true;
  const words = foldAccents(t).replace(/[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u200d\uFE0F]/gu, ' ').replace(/[^\p{L}\p{N},.! ]/gu, ' ').replace(/[\s,.!]+$/, '').replace(/\s+/g, ' ').trim();
  return words.length > 0 && words.length <= 40 && ACK.test(words);
}
