import { addDays, daysBetween, type IsoDate, makeDate, nextDayOfMonth, nextMonthDay, nextWeekday, weekday } from './calendar.ts';
import { MONTH, monthNumber } from './spanish-text.ts';

// The dates of a stay as guests write them on WhatsApp, read from a `readable` text (folded, numbers as
// digits). Rules, not a general date library: chrono-node's Spanish parser was tried first and reads the
// most common booking phrases wrongly without saying so ("del 5 al 8 de enero" → tomorrow, "diciembre
// 20" → 2020, "sábado 20" → this Saturday, "pasado mañana" → tomorrow, nothing for "fin de semana" or
// "2 noches"); a quote for the wrong nights is worse than a question, so every shape here is one we test.
//
// Each rule finds a mention (a range, a single day, a weekend, a number of nights) and blanks it out,
// so later, looser rules cannot read its numbers again. A date said without a year is the coming one;
// a check-out is the first such day after the check-in ("del 30 de diciembre al 2 de enero").

export interface StayDates {
  checkIn?: IsoDate;
  checkOut?: IsoDate;
  nights?: number;
}

/** Finds the day a mention means, on or after `from` (today for a check-in, the day after it for a check-out). */
type Resolve = (from: IsoDate) => IsoDate | undefined;

interface DayMention {
  at: number;
  role?: 'in' | 'out';
  resolve: Resolve;
}

const WEEKDAYS: Readonly<Record<string, number>> = { domingo: 0, lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6 };
const WEEKDAY = String.raw`(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)`;
const YEAR = String.raw`(?:\s+(?:de|del)?\s*(20\d\d))?`;
const NOT_A_DAY_AFTER = String.raw`(?!\s*(?:\/|noches?|dias?|semanas?|personas?|adult|nin|pm|am|horas?|h\b|:))`;
const MAX_NIGHTS = 365;

// A few words before a day say which end of the stay it is: "llegamos el 15 y salimos el 18".
const OUT_HINT = /(?:hasta|salida|salimos|salgo|saliendo|nos vamos|me voy|regresamos|regreso|devolvemos|entregamos|check ?out)(?: (?:el|la|del|al|este|esta|proximo))?\s*$/;
const IN_HINT = /(?:desde|llegada|llegamos|llego|llegando|llegariamos|entrada|entramos|ingreso|ingresamos|check ?in|a partir del?|iniciando)(?: (?:el|la|del|este|esta|proximo))?\s*$/;

/** The stay the words describe, as far as they describe it. `today` is the guest's calendar day. */
export function stayDatesIn(words: string, today: IsoDate): StayDates {
  const scan = new Scan(` ${words} `);
  const days: DayMention[] = [];
  let range: { checkIn: IsoDate; checkOut: IsoDate } | undefined;
  let weekend: { checkIn: IsoDate; checkOut: IsoDate } | undefined;
  let nights: number | undefined;
  const fixed = (d: IsoDate | undefined): Resolve => () => d;
  const dayMention = (at: number, resolve: Resolve): void => {
    days.push({ at, resolve, role: scan.roleAt(at) });
  };
  const addRange = (inOf: Resolve, outOf: Resolve): boolean => {
    const checkIn = inOf(today);
    const checkOut = checkIn && outOf(addDays(checkIn, 1));
    if (!checkIn || !checkOut) return false;
    range ??= { checkIn, checkOut };
    return true;
  };

  // relative days and holidays first: "pasado mañana" is not "mañana", "dentro de 2 semanas" is not a length
  scan.rule(/\b(?:dentro de|en) (\d{1,2}) (dias?|semanas?)\b/g, (m, at) => dayMention(at, fixed(addDays(today, Number(m[1]) * (m[2].startsWith('semana') ? 7 : 1)))));
  scan.rule(/\bpasado manana\b/g, (_, at) => dayMention(at, fixed(addDays(today, 2))));
  // "mañana" is also the morning: "en la mañana", "por la mañana"
  scan.rule(/(?<!\bla )\bmanana\b/g, (_, at) => dayMention(at, fixed(addDays(today, 1))));
  scan.rule(/\b(?:hoy|esta noche)\b/g, (_, at) => dayMention(at, fixed(today)));
  scan.rule(/\b(?:navidad|nochebuena)\b/g, (_, at) => dayMention(at, (from) => nextMonthDay(from, 12, 24)));
  scan.rule(/\b(?:ano nuevo|fin de ano|nochevieja)\b/g, (_, at) => dayMention(at, (from) => nextMonthDay(from, 12, 31)));

  // how long: "3 noches", "una semana"
  scan.rule(/\b(\d{1,3}) ?noches?\b/g, (m) => { nights ??= Number(m[1]); });
  scan.rule(/\b(?:por|durante|de)? ?(\d{1,2}) semanas?\b/g, (m) => { nights ??= 7 * Number(m[1]); });

  // exact dates in figures: 2025-12-15, 15/12, 15/12/2025, 15-12-25
  scan.rule(/\b(20\d\d)-(\d{1,2})-(\d{1,2})\b/g, (m, at) => dayMention(at, fixed(makeDate(+m[1], +m[2], +m[3]))));
  scan.rule(/\b(\d{1,2})(?:\/(\d{1,2})(?:\/(\d{2}|\d{4}))?|-(\d{1,2})-(\d{2}|\d{4}))\b/g, (m, at) => {
    const [day, month, year] = [+m[1], +(m[2] ?? m[4]), m[3] ?? m[5]];
    if (month < 1 || month > 12) return false;
    dayMention(at, year ? fixed(makeDate(year.length === 2 ? 2000 + +year : +year, month, day)) : (from) => nextMonthDay(from, month, day));
  });

  // ranges with a month: "del 15 al 18 de diciembre", "15-18 dic", "del 30 de diciembre al 2 de enero", "entre el 20 y el 23 de dic"
  const FROM = String.raw`(?:\b(?:del?|desde(?: el)?|entre(?: el)?) )?`;
  const TO = String.raw`\s*(?:-|al|a|hasta(?: el)?|y(?: el)?)\s*(?:el )?`;
  scan.rule(new RegExp(String.raw`${FROM}\b(\d{1,2})(?: (?:de )?(${MONTH})${YEAR})?${TO}(\d{1,2}) (?:de )?(${MONTH})${YEAR}`, 'g'), (m) => {
    const [d1, d2, m2] = [+m[1], +m[4], monthNumber(m[5])];
    const m1 = m[2] ? monthNumber(m[2]) : d1 > d2 ? (m2 === 1 ? 12 : m2 - 1) : m2;
    const y2 = m[6] ? +m[6] : undefined;
    const y1 = m[3] ? +m[3] : y2 !== undefined ? (m1 > m2 ? y2 - 1 : y2) : undefined;
    return addRange(
      y1 !== undefined ? fixed(makeDate(y1, m1, d1)) : (from) => nextMonthDay(from, m1, d1),
      y2 !== undefined ? fixed(makeDate(y2, m2, d2)) : (from) => nextMonthDay(from, m2, d2),
    );
  });
  // the month said once, after the first day: "del 20 de dic al 23"
  scan.rule(new RegExp(String.raw`${FROM}\b(\d{1,2}) (?:de )?(${MONTH})${TO}(\d{1,2})\b${NOT_A_DAY_AFTER}`, 'g'), (m) => {
    const [d1, m1, d2] = [+m[1], monthNumber(m[2]), +m[3]];
    return addRange((from) => nextMonthDay(from, m1, d1), (from) => nextDayOfMonth(from, d2));
  });
  // the month first: "diciembre 20 al 23"
  scan.rule(new RegExp(String.raw`\b(${MONTH}) (\d{1,2})${TO}(\d{1,2})\b${NOT_A_DAY_AFTER}`, 'g'), (m) => {
    const [month, d1, d2] = [monthNumber(m[1]), +m[2], +m[3]];
    return addRange((from) => nextMonthDay(from, month, d1), (from) => nextDayOfMonth(from, d2));
  });
  // no month at all: "del 20 al 23", "15 al 18" (this month, or the next when the day has passed)
  scan.rule(new RegExp(String.raw`\b(?:del|desde el|entre el) (\d{1,2})${TO}(\d{1,2})\b${NOT_A_DAY_AFTER}|\b(\d{1,2}) ?(?:al|-) ?(\d{1,2})\b${NOT_A_DAY_AFTER}`, 'g'), (m) => {
    const [d1, d2] = [+(m[1] ?? m[3]), +(m[2] ?? m[4])];
    if (d1 > 31 || d2 > 31) return false;
    return addRange((from) => nextDayOfMonth(from, d1), (from) => nextDayOfMonth(from, d2));
  });

  // single days: "20 de diciembre", "sábado 20 de dic", "diciembre 20", "el 20", "el viernes"
  scan.rule(new RegExp(String.raw`\b(?:${WEEKDAY} )?(\d{1,2}) (?:de )?(${MONTH})${YEAR}`, 'g'), (m, at) => {
    const [day, month] = [+m[1], monthNumber(m[2])];
    dayMention(at, m[3] ? fixed(makeDate(+m[3], month, day)) : (from) => nextMonthDay(from, month, day));
  });
  scan.rule(new RegExp(String.raw`\b(${MONTH}) (\d{1,2})\b${NOT_A_DAY_AFTER}`, 'g'), (m, at) => {
    const [month, day] = [monthNumber(m[1]), +m[2]];
    dayMention(at, (from) => nextMonthDay(from, month, day));
  });
  // "el viernes 12": the coming 12th that is a Friday (a guest who names both usually looked at a calendar)
  scan.rule(new RegExp(String.raw`\b(${WEEKDAY}) (\d{1,2})\b${NOT_A_DAY_AFTER}`, 'g'), (m, at) => {
    const [wd, day] = [WEEKDAYS[m[1]], +m[2]];
    if (day < 1 || day > 31) return false;
    dayMention(at, (from) => nextDayOfMonthOnWeekday(from, day, wd) ?? nextDayOfMonth(from, day));
  });
  scan.rule(new RegExp(String.raw`(?<=\b(?:el|del|al|dia|para el|desde el|hasta el) )(\d{1,2})\b${NOT_A_DAY_AFTER}`, 'g'), (m, at) => {
    const day = +m[1];
    if (day < 1 || day > 31) return false;
    dayMention(at, (from) => nextDayOfMonth(from, day));
  });
  scan.rule(new RegExp(String.raw`\b(?:(este|esta|el|proximo|el proximo|este proximo|el otro|otro) )?(${WEEKDAY})\b(?: (que viene|siguiente|de la (?:otra|proxima|siguiente) semana|de la semana que viene))?`, 'g'), (m, at) => {
    const which = weekWhich(m[1], m[3]);
    const wd = WEEKDAYS[m[2]];
    // a plain weekday is the coming one after the arrival when it is the departure: "del sábado al viernes"
    dayMention(at, (from) => (which === 'this' ? nextWeekday(from, wd) : weekdayFrom(today, wd, which)));
  });
  scan.rule(/\b(?:(este|el|proximo|el proximo|el otro|otro) )?(?:fin de semana|finde|fds)\b(?: (que viene|siguiente|de la (?:otra|proxima|siguiente) semana|de la semana que viene))?/g, (m) => {
    weekend ??= weekendFrom(today, weekWhich(m[1], m[2]));
  });

  return assemble(range, days, weekend, nights, today);
}

function nextDayOfMonthOnWeekday(from: IsoDate, day: number, wd: number): IsoDate | undefined {
  let d = nextDayOfMonth(from, day);
  for (let i = 0; d && i < 12; i++) {
    if (weekday(d) === wd) return d;
    d = nextDayOfMonth(addDays(d, 1), day);
  }
  return undefined;
}

type Which = 'this' | 'next' | 'after';

/** "este"/"el" sábado: the coming one; "próximo", "que viene": the next not under way; "el otro", "de la otra semana": next week's. */
function weekWhich(before: string | undefined, after: string | undefined): Which {
  if (/otro/.test(before ?? '') || /semana/.test(after ?? '')) return 'after';
  if (/proximo/.test(before ?? '') || after) return 'next';
  return 'this';
}

/** Monday = 1 … Sunday = 7, so "this week" runs Monday to Sunday as guests count it. */
const isoWeekday = (d: IsoDate) => weekday(d) || 7;

function weekdayFrom(today: IsoDate, wd: number, which: Which): IsoDate {
  if (which === 'this') return nextWeekday(today, wd);
  if (which === 'next') return nextWeekday(addDays(today, 1), wd);
  const nextMonday = addDays(today, 8 - isoWeekday(today));
  return addDays(nextMonday, (wd || 7) - 1);
}

/** A weekend stay: Friday to Sunday (two nights); on a Saturday "este fin de semana" is tonight to Sunday. */
function weekendFrom(today: IsoDate, which: Which): { checkIn: IsoDate; checkOut: IsoDate } {
  const wd = isoWeekday(today);
  const thisFriday = addDays(today, 5 - wd);
  let friday: IsoDate;
  if (which === 'after') friday = addDays(thisFriday, 7);
  else if (which === 'next') friday = wd <= 4 ? thisFriday : addDays(thisFriday, 7);
  else if (wd === 6) return { checkIn: today, checkOut: addDays(today, 1) };
  else friday = wd <= 5 ? thisFriday : addDays(thisFriday, 7);
  return { checkIn: friday, checkOut: addDays(friday, 2) };
}

function assemble(
  range: { checkIn: IsoDate; checkOut: IsoDate } | undefined,
  days: DayMention[],
  weekend: { checkIn: IsoDate; checkOut: IsoDate } | undefined,
  nights: number | undefined,
  today: IsoDate,
): StayDates {
  let checkIn = range?.checkIn;
  let checkOut = range?.checkOut;
  if (!range) {
    days.sort((a, b) => a.at - b.at);
    const first = days.find((d) => d.role === 'in') ?? days.find((d) => d.role === undefined);
    const last = days.find((d) => d.role === 'out') ?? days.find((d) => d.role === undefined && d !== first && first !== undefined && d.at > first.at);
    checkIn = first?.resolve(today) ?? weekend?.checkIn;
    checkOut = last?.resolve(checkIn ? addDays(checkIn, 1) : addDays(today, 1));
    if (!checkOut && !nights && weekend && checkIn === weekend.checkIn) checkOut = weekend.checkOut;
  }
  return settleStay({ checkIn, checkOut, nights }, today);
}

/**
 * The stay made consistent: days that have passed dropped, a departure on or before the arrival dropped,
 * the third of arrival / departure / nights worked out from the other two. Also used to combine what
 * several messages said ("el viernes" then "3 noches").
 */
export function settleStay({ checkIn, checkOut, nights }: StayDates, today: IsoDate): StayDates {
  // a day with a year that has passed, or remembered from an earlier message that is now in the past
  // (its departure goes with it: it belonged to that arrival)
  if (checkIn && checkIn < today) checkIn = checkOut = undefined;
  if (checkOut && checkOut <= today) checkOut = undefined;
  if (checkIn && checkOut && (checkOut <= checkIn || daysBetween(checkIn, checkOut) > MAX_NIGHTS)) checkOut = undefined;
  if (checkIn && checkOut) return { checkIn, checkOut, nights: daysBetween(checkIn, checkOut) };
  if (nights !== undefined && (!Number.isInteger(nights) || nights < 1 || nights > MAX_NIGHTS)) nights = undefined;
  if (checkIn && nights) return { checkIn, checkOut: addDays(checkIn, nights), nights };
  if (checkOut && nights && addDays(checkOut, -nights) >= today) return { checkIn: addDays(checkOut, -nights), checkOut, nights };
  return { ...(checkIn ? { checkIn } : {}), ...(checkOut ? { checkOut } : {}), ...(nights ? { nights } : {}) };
}

/** The text being read, with what the rules have taken blanked out (positions kept, for the order of mentions). */
class Scan {
  readonly original: string;
  private text: string;

  constructor(text: string) {
    this.original = text;
    this.text = text;
  }

  /** Apply `rule` to every match; a rule returning false did not understand it, and leaves it for the next rules. */
  rule(re: RegExp, rule: (m: RegExpExecArray, at: number) => void | boolean): void {
    for (const m of [...this.text.matchAll(re)]) {
      if (rule(m as RegExpExecArray, m.index) === false) continue;
      this.text = this.text.slice(0, m.index) + ' '.repeat(m[0].length) + this.text.slice(m.index + m[0].length);
    }
  }

  /** Whether the words just before `at` make it the arrival or the departure. */
  roleAt(at: number): 'in' | 'out' | undefined {
    const before = this.original.slice(Math.max(0, at - 30), at);
    return OUT_HINT.test(before) ? 'out' : IN_HINT.test(before) ? 'in' : undefined;
  }
}
