import type { InboundKind } from './types.ts';
import { asNumber, asString, compact, type Json } from './read-json.ts';

/** A shared location pin: both providers send latitude, longitude and an optional name and address. */
export function readLocationPart(part: Json | undefined): { kind: InboundKind; text?: string; details: Json } {
  const location = compact({
    latitude: asNumber(part?.latitude),
    longitude: asNumber(part?.longitude),
    name: asString(part?.name),
    address: asString(part?.address),
    url: asString(part?.url),
  });
  const words = [location.name, location.address].filter(Boolean).join(', ');
  return { kind: 'location', text: words || undefined, details: { location } };
}
