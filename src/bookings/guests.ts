import { MONTH, readable } from './spanish-text.ts';

// How many people a guest says will stay, the ways they say it on WhatsApp: "somos 4", "para 2
// personas", "dos adultos y un niño" (3), "una pareja" (2), "mi esposa y yo con 2 niños" (4), "viajo
// sola" (1). Babies count: a crib still takes a place in the apartment, and the team can waive it.

/** People words a count can stand before ("2 adultos", "3 ninos"); accents are already folded. */
const PEOPLE = String.raw`(?:personas?|pers|adult[oa]s?|nin[oa]s?|menores?|bebes?|huespedes|huesped|pax|chic[oa]s?|hij[oa]s?|amig[oa]s?|adolescentes?|viajeros?|mayores)`;
const PARTNER = String.raw`(?:esposa|esposo|novia|novio|mujer|marido|pareja|senora|senor)`;
const MAX_GUESTS = 50;

/** A number of guests the message states, or undefined when it says none. `text` is the raw message. */
export function readGuests(text: string): number | undefined {
  return guestsIn(readable(text)).guests;
}

/**
 * The guests in an already `readable` text, and the text with those phrases blanked out, so their
 * numbers are not read again as dates ("somos 4 del 15 al 18").
 */
export function guestsIn(words: string): { guests?: number; rest: string } {
  let rest = ` ${words} `;
  const take = (re: RegExp, each: (m: RegExpExecArray) => void) => {
    rest = rest.replace(re, (...args) => {
      each(args as unknown as RegExpExecArray);
      return ' ';
    });
  };

  let counted = 0; // "2 adultos y 1 nino", "2 parejas"
  let adultsCounted = false;
  let onlyWithCon = true; // every count came after "con": "voy con mis 2 hijos" means the speaker too
  take(new RegExp(String.raw`(\bcon (?:mis |nuestros |nuestras |los |las )?)?\b(\d{1,2}) ?(${PEOPLE}|parejas?)\b`, 'g'), (m) => {
    const n = Number(m[2]);
    counted += /^parejas?$/.test(m[3]) ? 2 * n : n;
    if (!/^(nin|menor|bebe|hij|chic)/.test(m[3])) adultsCounted = true;
    if (!m[1]) onlyWithCon = false;
  });

  let base = 0; // the speaker and whoever they name: "mi esposa y yo", "en pareja", "solo yo"
  take(new RegExp(String.raw`\b(?:mi ${PARTNER} y yo|yo y mi ${PARTNER}|con mi ${PARTNER}|en pareja|somos pareja)\b`, 'g'), () => {
    base = 2;
  });
  if (!base) take(/\b(?:solo yo|yo sol[oa]|para mi sol[oa]|viajo sol[oa]|voy sol[oa]|1 sola persona)\b/g, () => { base = 1; });

  let stated: number | undefined; // a total said outright: "somos 4", "familia de 5", "para 3"
  take(/\b(?:somos|seriamos|seremos|familia de|grupo de)\s+(\d{1,2})\b(?!\s*(?:\/|-\d|noches?|dias?))/g, (m) => { stated = Number(m[1]); });
  // "para 4" (but not "para 4 noches", "para 4 de enero", "para el 4")
  take(new RegExp(String.raw`\bpara (\d{1,2})\b(?!\s*(?:\/|-\d|noches?|dias?|semanas?|(?:de )?${MONTH}))`, 'g'), (m) => { stated ??= Number(m[1]); });

  if (counted && onlyWithCon && !base && !adultsCounted) base = 1;
  const total = Math.max(stated ?? 0, base + counted);
  return { guests: total >= 1 && total <= MAX_GUESTS ? total : undefined, rest: rest.replace(/\s+/g, ' ').trim() };
}
