import type { CatalogueSearch, MissingAttribute } from '../../commerce/search-catalogue.ts';
import type { OutboundContent } from '../../whatsapp/types.ts';
import { clip } from '../../whatsapp/limits.ts';
import { foldAccents } from '../../lib/text.ts';

// What a search says before its list, in Spanish: that no red T-shirt exists and which colours do, what
// serves the cold, that a gift suggestion is only what sells most. Pure: search-reply.ts picks the list.

/** "camiseta" → "camisetas", "pantalón" → "pantalones", "azul" → "azules", "jean" → "jeans". */
export function plural(word: string): string {
  const w = word.toLowerCase();
  // a stressed last syllable in s grows one: arnés → arneses, compás → compases (lunes, tenis stay)
  if (/[áéíóú]s$/.test(w)) return `${word.replace(/([áéíóú])s$/i, (_, v: string) => `${foldAccents(v)}s`)}es`;
  if (/[sx]$/.test(w) || LOANWORDS.has(foldAccents(w))) return /[sx]$/.test(w) ? word : `${word}s`;
  if (/[aeiouáéó]$/i.test(w)) return `${word}s`;
  if (/z$/i.test(w)) return `${word.slice(0, -1)}ces`;
  // the stress mark goes once the word grows a syllable: pantalón → pantalones, marrón → marrones
  const unstressed = word.replace(/([áéíóú])([nsl])$/i, (_, v: string, c: string) => `${foldAccents(v)}${c}`);
  return `${unstressed}es`;
}
const LOANWORDS = new Set(['jean', 'short', 'top', 'body', 'jogger', 'legging', 'hoodie', 'crop', 'kit', 'set', 'mouse', 'iphone', 'smartwatch', 'blazer']);

/** "blanca", "blanca y negra", "blanca, negra y gris". */
export function listed(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} y ${values[values.length - 1]}`;
}

/** The products as the customer named them, in the plural up to the first joining word: "camisetas", "camas redondas", "zapatos de cuero". */
export function productsNamed(words: readonly string[]): string {
  const joined = words.findIndex((w) => JOINING.has(foldAccents(w.toLowerCase())));
  const end = joined < 0 ? words.length : joined;
  return [...words.slice(0, end).map(plural), ...words.slice(end)].join(' ');
}
const JOINING = new Set(['de', 'del', 'con', 'para', 'pa', 'en', 'sin', 'a', 'al', 'y', 'o', 'por']);

const COLOUR_NAMES: Record<string, string> = { cafe: 'café' };
const withDe = (typed: string) => (/^(de|en)\s/i.test(typed) ? typed : `de ${typed}`);
const sizeAsked = (typed: string) => (/^(talla|número)\s/.test(typed) ? typed : `talla ${typed}`);

/** "camisetas rojas", "camisetas en talla XXL", "camisetas de lino"; with no product words, "nada rojo". */
function whatIsMissing(products: string, m: MissingAttribute): string {
  if (m.kind === 'colour') return products ? `${products} ${plural(m.asked.replace(/^color\s+/i, ''))}` : `nada de color ${COLOUR_NAMES[m.value] ?? m.value}`;
  if (m.kind === 'size') return `${products || 'nada'} en ${sizeAsked(m.asked)}`;
  return `${products || 'nada'} ${withDe(m.asked)}`;
}

/** "tenemos blanca y negra", "tenemos en talla S a XL", "tenemos de algodón". */
function whatThereIs(m: MissingAttribute): string {
  const values = m.available.slice(0, 4);
  if (!values.length) return 'esto es lo que hay';
  if (m.kind === 'colour') return `tenemos ${listed(values)}`;
  if (m.kind === 'size') return `tenemos en talla ${listed(values)}`;
  return `tenemos ${listed(values.map((v) => `de ${v}`))}`;
}

/**
 * The sentence before the products, without the closing 👇; undefined when a plain "Encontré esto para…"
 * says it all. `products` is how the customer named the products ("camisetas"), as productsNamed gives it.
 */
export function searchIntro(found: CatalogueSearch, products: string): string | undefined {
  const [soldOut] = found.soldOut;
  if (soldOut) return `${soldOutSaid(soldOut.name)} 😕. Te puede servir esto, que sí hay`;
  const [first] = found.missing;
  if (first) {
    // a size nobody's description mentions is unknown, not absent
    if (first.kind === 'size' && !first.available.length) {
      return `${products ? `Esto tenemos en ${products}` : 'Esto es lo que tenemos'}; su descripción no dice si viene en ${sizeAsked(first.asked)}. Escribe "asesor" y te lo confirmamos`;
    }
    return `No tenemos ${whatIsMissing(products, first)}; ${whatThereIs(first)}`;
  }
  const need = found.need;
  if (!need) return undefined;
  const allPopular = found.hits.length > 0 && found.hits.every((h) => h.match === 'popular');
  if (allPopular) return `No tengo algo pensado para ${need.need}, pero esto es lo más pedido de la tienda y suele gustar`;
  if (found.popular) return `Para ${need.need} te sugiero esto, con algo de lo más pedido de la tienda`;
  if (need.withoutProductWords && products) return `No tenemos ${products} para ${need.need}, pero esto te puede servir`;
  return products ? `Esto tenemos en ${products} para ${need.need}` : `Para ${need.need} te puede servir esto`;
}

/** "*Caña con plumas para gato* está agotada por ahora": the adjective agrees with the name's first word as far as its ending tells. */
export function soldOutSaid(name: string): string {
  const typed = (name.trim().split(/\s+/)[0] ?? '').toLowerCase();
  const first = foldAccents(typed);
  // "ratones", "collares" are plural; "arnés" is not
  const ending = /os$/.test(first) || /[^aeiouáéíóú]es$/.test(typed) ? 'os' : /as$/.test(first) ? 'as' : /a$/.test(first) ? 'a' : 'o';
  return `*${name}* ${ending.endsWith('s') ? 'están' : 'está'} agotad${ending} por ahora`;
}

/** Nothing to show: a product sold out with nothing like it, a need nothing serves, each said as such; anything else as before. */
export function nothingFound(found: CatalogueSearch, query: string): string {
  const [soldOut] = found.soldOut;
  if (soldOut) return `${soldOutSaid(soldOut.name)} 😕. ¿Te muestro el catálogo?`;
  if (found.need && !found.need.served && !found.productWords.length) return `Por ahora no tenemos nada para ${found.need.need} 😕. ¿Te muestro el catálogo?`;
  return `No encontré "${query.trim().slice(0, 60)}" 😕. Prueba con otra palabra o mira el catálogo.`;
}

/** The same list or card, the intro first. */
export function withIntro(intro: string, content: OutboundContent): OutboundContent {
  if (content.type === 'list' || content.type === 'buttons') return { ...content, body: clip(`${intro}\n\n${content.body}`, 1024) };
  if (content.type === 'text') return { ...content, text: clip(`${intro}\n\n${content.text}`, 4096) };
  return content;
}
