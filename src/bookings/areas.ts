import type { Area } from './listings.ts';
import { readable } from './spanish-text.ts';

// "en Cartagena", "algo en El Poblado": the place a guest names, among those the host has listings in.
// A neighbourhood says more than a city, so it wins; words are compared folded ("Getsemaní" = "getsemani").

export function areaIn(text: string, areas: readonly Required<Area>[]): Area | undefined {
  const words = ` ${readable(text)} `;
  const said = (name: string) => words.includes(` ${readable(name)} `);
  const zone = areas.find((a) => said(a.zone));
  if (zone) return { city: zone.city, zone: zone.zone };
  const city = areas.find((a) => said(a.city));
  return city ? { city: city.city } : undefined;
}

/** "El Poblado, Medellín" or "Cartagena". */
export const areaName = (a: Area): string => (a.zone ? `${a.zone}, ${a.city}` : a.city);
