import { formatMoney } from '../lib/money.ts';
import { clip, MAX_LIST_ROWS } from '../whatsapp/limits.ts';
import type { ListRow, OutboundContent, ReplyButton } from '../whatsapp/types.ts';
import { areaName } from './areas.ts';
import { bookingIds } from './booking-ids.ts';
import { type IsoDate, spanishDate, spanishStay } from './calendar.ts';
import type { Area, Listing } from './listings.ts';
import { quoteStay, type Quote } from './quote.ts';
import type { Stay, StayQuestion, StayRequest } from './read-stay.ts';

// What the assistant says about a stay, in WhatsApp's shapes and limits (a list of at most 10 rows,
// row title 24 and description 72; at most 3 buttons of 20; bodies under 1,024). Clients that show no
// buttons get the numbered-text form, so every body also reads well on its own. Nothing here promises a
// booking: the team confirms it, and every answer with options says so.

/** The app-wide "talk to a person" button (src/conversation/keywords/reply-ids.ts maps it to human_agent). */
const AGENT: ReplyButton = { id: 'menu:agent', title: 'Hablar con asesor' };

const people = (n: number) => (n === 1 ? '1 persona' : `${n} personas`);
const nightsText = (n: number) => (n === 1 ? '1 noche' : `${n} noches`);
const stayText = (s: Pick<Stay, 'checkIn' | 'checkOut' | 'nights'>, year: number) => `${spanishStay(s.checkIn, s.checkOut, year)} (${nightsText(s.nights)})`;

/** Ask for exactly what is missing, acknowledging what was understood. */
export function askForMissing(r: StayRequest, missing: StayQuestion[], year: number): OutboundContent {
  const andPeople = missing.includes('guests') ? ' y cuántas personas serían' : '';
  let text: string;
  if (r.checkIn && r.checkOut) {
    text = `${capital(stayText({ checkIn: r.checkIn, checkOut: r.checkOut, nights: r.nights ?? 0 }, year))} 👍 ¿Cuántas personas se hospedarían?`;
  } else if (r.checkIn) {
    const question = andPeople ? `¿Cuántas noches te quedarías${andPeople}?` : '¿Cuántas noches te quedarías (o qué día sería la salida)?';
    text = `Llegada el ${spanishDate(r.checkIn, year)} 👍 ${question}`;
  } else {
    const known = [r.guests ? `para ${people(r.guests)}` : '', r.nights ? nightsText(r.nights) : '', r.checkOut ? `salida el ${spanishDate(r.checkOut, year)}` : '']
      .filter(Boolean)
      .join(', ');
    if (!known) {
      text = '¡Con gusto te ayudo con tu reserva! 🏡 ¿Para qué fechas sería (llegada y salida) y cuántas personas se hospedarían? Por ejemplo: «del 15 al 18 de diciembre, somos 4».';
    } else if (r.nights || r.checkOut) {
      text = `Perfecto, ${known} 👍 ¿Qué día llegarían${andPeople}?`;
    } else {
      text = `Perfecto, ${known} 👍 ¿Para qué fechas sería? Dime la llegada y la salida, por ejemplo «del 15 al 18 de diciembre».`;
    }
  }
  return { type: 'text', text };
}

/** The listings free for the stay, each with its price per night and the total, as a list to pick from. */
export function freeOptions(stay: Stay & { guests: number }, listings: Listing[], year: number, lead = '¡Buenas noticias! 🎉'): OutboundContent {
  const shown = listings.slice(0, MAX_LIST_ROWS);
  const rows = shown.map((l) => optionRow(l, quoteStay(l, stay.nights), stay));
  // the rows carry names and prices; the body only frames them (without buttons, the rows follow it as a numbered list)
  const body =
    `${lead} Para ${people(stay.guests)}, ${stayText(stay, year)}, tenemos ${shown.length === 1 ? 'esta opción disponible' : 'estas opciones disponibles'} 👇\n\n` +
    'Elige la que te guste y un asesor de nuestro equipo te confirma la reserva y el pago 🙌';
  return { type: 'list', body: clip(body, 1024), button: 'Ver opciones', sections: [{ title: 'Disponibles', rows }], footer: 'Precios en pesos, aseo incluido en el total' };
}

function optionRow(l: Listing, q: Quote, stay: Stay & { guests: number }): ListRow {
  return {
    id: bookingIds.pick(l.slug, stay.checkIn, stay.checkOut, stay.guests),
    title: clip(l.name, 24),
    description: clip(`${formatMoney(q.pricePerNight)}/noche · total ${formatMoney(q.total)} · ${l.zone}`, 72),
  };
}

/** Nothing fits in the area asked for, but other places are free for the same dates. */
export function freeElsewhere(stay: Stay & { guests: number }, area: Area, listings: Listing[], year: number): OutboundContent {
  return freeOptions(stay, listings, year, `En ${areaName(area)} no nos queda nada libre para esas fechas 😕, pero sí en otros lugares.`);
}

/** Nothing free for the dates asked; the nearest dates that are, offered with one tap. */
export function nearestDates(stay: Stay & { guests: number }, other: { checkIn: IsoDate; checkOut: IsoDate; listings: Listing[] }, year: number): OutboundContent {
  const cheapest = other.listings[0];
  const q = quoteStay(cheapest, stay.nights);
  const body =
    `Lo siento, no tenemos disponibilidad para ${people(stay.guests)} ${stayText(stay, year)} 😕.\n\n` +
    `Lo más cercano que tenemos libre es ${spanishStay(other.checkIn, other.checkOut, year)}: ${cheapest.name} (${areaName(cheapest)}) ` +
    `a ${formatMoney(q.pricePerNight)} la noche, ${formatMoney(q.total)} en total${more(other.listings.length - 1)}. ¿Te sirven esas fechas?`;
  return { type: 'buttons', body: clip(body, 1024), buttons: [{ id: bookingIds.dates(other.checkIn, other.checkOut, stay.guests), title: 'Sí, esas fechas' }, AGENT] };
}

export function tooManyGuests(guests: number, largest: number): OutboundContent {
  return {
    type: 'buttons',
    body: `Para ${people(guests)} no tenemos un solo alojamiento: el más grande recibe hasta ${people(largest)}. Un asesor puede ayudarte a combinar dos apartamentos. ¿Te comunico?`,
    buttons: [AGENT],
  };
}

export function nothingFree(stay: Stay & { guests: number }, year: number): OutboundContent {
  return {
    type: 'buttons',
    body: `Lo siento, no tenemos disponibilidad para ${people(stay.guests)} ${stayText(stay, year)} 😕, ni en fechas cercanas. Dejé tu solicitud a nuestro equipo: si se libera algo te escribimos. ¿Quieres probar otras fechas? Escríbemelas.`,
    buttons: [AGENT],
  };
}

/** The guest tapped an option: restate it with its quote, and hand over to the team. */
export function picked(listing: Listing, stay: Stay & { guests: number }, q: Quote, year: number): OutboundContent {
  const lines = [
    `¡Excelente elección! 🏡 *${listing.name}* (${areaName(listing)})`,
    `${capital(stayText(stay, year))}, ${people(stay.guests)}`,
    `${nightsText(q.nights)} × ${formatMoney(q.pricePerNight)} = ${formatMoney(q.lodging)}`,
    ...(q.cleaningFee > 0 ? [`Aseo: ${formatMoney(q.cleaningFee)}`] : []),
    `*Total: ${formatMoney(q.total)}*`,
    ...(listing.rules ? ['', `Normas: ${clip(listing.rules, 300)}`] : []),
    '',
    'Un asesor de nuestro equipo te escribe en breve para confirmar la reserva y el pago 🙌',
  ];
  return { type: 'text', text: lines.join('\n') };
}

/** The tapped option was taken (or switched off) since it was offered. */
export function pickGone(listing: Listing | undefined): OutboundContent {
  const what = listing ? listing.name : 'Ese alojamiento';
  return { type: 'text', text: `Uy, ${what} ya no está disponible para esas fechas 😕. Te muestro lo que sigue libre:` };
}

const more = (n: number) => (n === 0 ? '' : n === 1 ? ', y 1 opción más' : `, y ${n} opciones más`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
