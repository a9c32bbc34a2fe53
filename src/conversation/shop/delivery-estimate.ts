import { addDays, DEFAULT_TIME_ZONE, type IsoDate, parts, spanishDate, today, weekday } from '../../bookings/calendar.ts';
import type { OrderSummary } from '../../commerce/orders.ts';

// "¿Cuándo me llega?" answered with days, from the delivery the customer chose: its days counted from the
// order, business days skipping weekends (public holidays are not known here, so a window that spans one
// may arrive a day later; the text says "aproximadamente" for that reason).

/** The first and last day the order may arrive, or undefined when its delivery has no times. */
export function deliveryWindow(order: Pick<OrderSummary, 'createdAt' | 'delivery'>, timeZone = DEFAULT_TIME_ZONE): { from: IsoDate; to: IsoDate } | undefined {
  const d = order.delivery;
  if (!d) return undefined;
  const ordered = today(order.createdAt, timeZone);
  const after = (days: number) => (d.businessDays ? addBusinessDays(ordered, days) : addDays(ordered, days));
  return { from: after(d.minDays), to: after(d.maxDays) };
}

function addBusinessDays(from: IsoDate, days: number): IsoDate {
  let day = from;
  for (let left = days; left > 0; ) {
    day = addDays(day, 1);
    if (weekday(day) !== 0 && weekday(day) !== 6) left--;
  }
  return day;
}

/** The window in words, as the customer reads it today: "hoy", "mañana", "entre el martes 8 y el jueves 10 de diciembre". */
export function deliveryWindowText(window: { from: IsoDate; to: IsoDate }, now: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const day = today(now, timeZone);
  const year = parts(day).year;
  const say = (d: IsoDate) => (d === day ? 'hoy' : d === addDays(day, 1) ? 'mañana' : `el ${spanishDate(d, year)}`);
  if (window.to < day) return `debía llegar ${say(window.to)}`;
  if (window.from === window.to) return `llega ${say(window.to)}`;
  const from = window.from < day ? day : window.from;
  return from === window.to ? `llega ${say(window.to)}` : `llega entre ${say(from)} y ${say(window.to)}`;
}
