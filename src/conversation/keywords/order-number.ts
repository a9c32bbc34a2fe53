import { foldAccents } from '../../lib/text.ts';
// The order a customer asks about: "#1043", "orden 1043", "pedido No. 1043". Read from the folded raw
// text so that "#" and "No." survive.

const PATTERNS: readonly RegExp[] = [
  /#\s*(\d+)/,
  /\b(?:orden|pedido|compra|guia|order)\s*(?:n[o°º]\.?|nro\.?|numero|#)?\s*(\d{3,})\b/,
];

/** The order number mentioned in the message, digits only, or undefined. */
export function findOrderNumber(text: string): string | undefined {
  const folded = foldAccents(text);
  for (const pattern of PATTERNS) {
    const match = pattern.exec(folded);
    if (match) return match[1];
  }
  return undefined;
}
