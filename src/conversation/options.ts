import type { OutboundContent } from '../whatsapp/types.ts';
import { foldAccents } from '../lib/text.ts';

// Customers whose client shows no buttons (Whapi sends them as numbered text) answer "2", and some on
// Meta type the option instead of tapping it ("ver carrito"). The options of the last reply are kept in
// the session, so such an answer is read as the tap it stands for.

export interface OfferedOption {
  id: string;
  title: string;
}

/** The options of the last reply that had any, in the order the numbered text shows them. */
export function offeredOptions(replies: OutboundContent[]): OfferedOption[] | undefined {
  for (const r of [...replies].reverse()) {
    if (r.type === 'buttons') return r.buttons.map(({ id, title }) => ({ id, title }));
    if (r.type === 'list') return r.sections.flatMap((s) => s.rows.map(({ id, title }) => ({ id, title })));
  }
  return undefined;
}

const fold = (t: string) => foldAccents(t).replace(/[^\p{L}\p{N} ]/gu, ' ').replace(/\s+/g, ' ').trim();

/** The option a typed answer picks: its number ("2", "la 2", "opción 2") or its title; else undefined. */
export function pickOption(text: string, options: OfferedOption[] | undefined): OfferedOption | undefined {
  if (!options?.length) return undefined;
  const words = fold(text);
  const number = /^(?:(?:la|el|opcion|numero|#)\s*)?(\d{1,2})$/.exec(words)?.[1];
  if (number) return options[Number(number) - 1];
  return words.length >= 3 ? options.find((o) => fold(o.title) === words) : undefined;
}
