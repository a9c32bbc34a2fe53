// Calendar dates as the rental business counts them: plain days ('YYYY-MM-DD'), no time of day, no
// time zone. The zone matters once, to know which day "today" is where the guest and host are; after
// that every computation is whole days on UTC midnights, so nothing depends on the server's zone.

/** A calendar day, 'YYYY-MM-DD'. */
export type IsoDate = string;

export const DEFAULT_TIME_ZONE = 'America/Bogota';

const DAY_MS = 86_400_000;

const toUtc = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`);
const fromUtc = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);

/** The day it is at `now` in `timeZone` (11 pm in Bogotá is still that day, though UTC is on the next). */
export function today(now: Date, timeZone = DEFAULT_TIME_ZONE): IsoDate {
  // en-CA writes dates as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(d: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(d) + days * DAY_MS);
}

/** Whole days from `from` to `to` (nights of a stay from check-in to check-out). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, as Date.getUTCDay. */
export function weekday(d: IsoDate): number {
  return new Date(toUtc(d)).getUTCDay();
}

/** The date, or undefined when there is no such day (31 of April, 29 of February in 2025). */
export function makeDate(year: number, month: number, day: number): IsoDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 ? fromUtc(d.getTime()) : undefined;
}

export const parts = (d: IsoDate) => ({ year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) });

/** The first `month`/`day` on or after `from` (a date said without its year is the coming one). */
export function nextMonthDay(from: IsoDate, month: number, day: number): IsoDate | undefined {
  const { year } = parts(from);
  // a 29 of February may be up to four years away; nobody books that far, so two years is enough
  for (let y = year; y <= year + 2; y++) {
    const d = makeDate(y, month, day);
    if (d && d >= from) return d;
  }
  return undefined;
}

/** The first day numbered `day` on or after `from` ("el 20" is the coming 20th, this month or the next). */
export function nextDayOfMonth(from: IsoDate, day: number): IsoDate | undefined {
  let { year, month } = parts(from);
  for (let i = 0; i < 12; i++) {
    const d = makeDate(year, month, day);
    if (d && d >= from) return d;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return undefined;
}

/** The first `wd` (0 = Sunday) on or after `from`. */
export function nextWeekday(from: IsoDate, wd: number): IsoDate {
  return addDays(from, (wd - weekday(from) + 7) % 7);
}

const WEEKDAY_NAMES = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
const MONTH_NAMES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "viernes 12 de diciembre", with the year only when it is not the current one ("… de 2027"). */
export function spanishDate(d: IsoDate, currentYear: number): string {
  const { year, month, day } = parts(d);
  return `${WEEKDAY_NAMES[weekday(d)]} ${day} de ${MONTH_NAMES[month - 1]}${year === currentYear ? '' : ` de ${year}`}`;
}

/**
 * A stay in words, short: "del viernes 12 al domingo 14 de diciembre", "del martes 30 de diciembre al
 * viernes 2 de enero de 2026". The month is said once when both days share it.
 */
export function spanishStay(checkIn: IsoDate, checkOut: IsoDate, currentYear: number): string {
  const a = parts(checkIn);
  const b = parts(checkOut);
  if (a.year === b.year && a.month === b.month) return `del ${WEEKDAY_NAMES[weekday(checkIn)]} ${a.day} al ${spanishDate(checkOut, currentYear)}`;
  const first = a.year === b.year ? `${WEEKDAY_NAMES[weekday(checkIn)]} ${a.day} de ${MONTH_NAMES[a.month - 1]}` : spanishDate(checkIn, currentYear);
  return `del ${first} al ${spanishDate(checkOut, currentYear)}`;
}
