import { foldAccents } from '../lib/text.ts';
// A guest's message made easy to match: lower case, accents folded, punctuation turned to spaces
// (keeping "/" and "-" of "15/12" and "15-18"), and numbers written as words turned to digits, so
// "dos adultos y un niño del quince al dieciocho" reads "2 adultos y 1 nino del 15 al 18". The rules
// in this folder then match a handful of shapes instead of every spelling.

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  un: 1, una: 1, uno: 1, primero: 1, primer: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8,
  nueve: 9, diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17,
  dieciocho: 18, diecinueve: 19, veinte: 20, veintiuno: 21, veintiun: 21, veintidos: 22, veintitres: 23,
  veinticuatro: 24, veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29, treinta: 30,
};

const MONTHS: Readonly<Record<string, number>> = {
  enero: 1, ene: 1, febrero: 2, feb: 2, marzo: 3, mar: 3, abril: 4, abr: 4, mayo: 5, may: 5, junio: 6, jun: 6,
  julio: 7, jul: 7, agosto: 8, ago: 8, septiembre: 9, setiembre: 9, sept: 9, sep: 9, set: 9, octubre: 10, oct: 10,
  noviembre: 11, nov: 11, diciembre: 12, dic: 12,
};

/** A month name or its abbreviation, as a regular-expression group (longest first, so "sept" beats "sep"). */
export const MONTH = String.raw`(?:${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})\b`;

export const monthNumber = (word: string): number => MONTHS[word];

export const fold = foldAccents;

/** The message as the stay rules read it. Character positions are not kept: rules only need word order. */
export function readable(text: string): string {
  return (
    fold(text)
      // "1ro", "1ero", "1°", "1º" de enero: an ordinal day is the day
      .replace(/\b(\d{1,2})(?:ro|ero|°|º)(?=\s|$)/g, '$1')
      // "treinta y uno" before the single words, or it would read "30 y 1"
      .replace(/\btreinta y un[oa]?\b/g, '31')
      .replace(/[^a-z0-9/\-\s]/g, ' ')
      .replace(/\b[a-z]+\b/g, (w) => (Object.hasOwn(NUMBER_WORDS, w) ? String(NUMBER_WORDS[w]) : w))
      .replace(/\s+/g, ' ')
      .trim()
  );
}
