import type { Intent } from './intents.ts';
import { EDGE_WORDS, FILLERS } from './lexicon.ts';
import type { Token } from './normalise.ts';
import { findOrderNumber } from './order-number.ts';
import { findQuantity } from './quantity.ts';
import { findOrdinal, isPointingVerb, pointsAtProduct, POINTER_WORDS } from './references.ts';

export interface Entities {
  /**
   * Product words in the customer's own spelling: "camisas de hombre talla M". Beside `reference` they
   * refine the product pointed at ("la quiero en talla M" → reference 'it', query "talla M").
   */
  query?: string;
  /**
   * How many, from the words: "dos" → 2, "una docena" → 12, "un par" → 2, "dos pares" → 2 (pairs are
   * counted as items, as the catalogue sells them), "otra" → 1. Adding with no number means 1; removing
   * with none gives no quantity (the whole line goes), with one ("quita una") only that many.
   */
  quantity?: number;
  /** Order number, digits only. */
  order?: string;
  /**
   * 'it': the message points at the product the conversation is on instead of naming one ("la quiero",
   * "me la llevo", "esa", "dame otra igual", "quítale uno", "mándame dos"). Set on add_to_cart and
   * remove_from_cart when no product is named or a pronoun points at one, and on search_products when a
   * pronoun points ("cuanto vale esa?"). The dialogue memory resolves it against the session.
   */
  reference?: 'it';
  /**
   * A position in the list the bot just showed: "la segunda" → 2, "el primero" → 1, "la opcion 3" → 3,
   * "la última" → -1, "la penúltima" → -2. Read on search_products (a bare "la segunda" is a look at
   * that product), add_to_cart ("me llevo la primera") and remove_from_cart ("quita el último").
   */
  ordinal?: number;
  /** Why a person is wanted, on human_agent: 'complaint' for a complaint (damaged, wrong, double charge…). */
  reason?: 'complaint';
}

// Words that say what to do with a product rather than which product: they cut the message into
// pieces, and the longest piece left is the product ("me regala el precio de la chaqueta negra").
const ACTION_WORDS = new Set([
  'sirve', 'sirven', 'conviene', 'convence',
  'tienen', 'tiene', 'tienes', 'hay', 'habra', 'tendran', 'tendra', 'tendras', 'manejan', 'maneja', 'manejas', 'venden', 'vende', 'vendes', 'consigo',
  'consiguen', 'ofrecen', 'traen', 'busco', 'buscando', 'buscar', 'buscaba', 'estoy', 'cuanto', 'cuanta', 'cuantos',
  'cuantas', 'vale', 'valen', 'cuesta', 'cuestan', 'sale', 'salen', 'cobran', 'cobra', 'precio', 'precios', 'valor',
  'costo', 'quiero', 'quisiera', 'necesito', 'deseo', 'dame', 'deme', 'da', 'das', 'regala', 'manda', 'envia', 'pasa',
  'agrega', 'agregar', 'agregue', 'agreguen', 'agregalo', 'agregala', 'adiciona', 'adicionar', 'sumale', 'incluye',
  'incluir', 'mete', 'meter', 'llevo', 'lleva', 'compro', 'pido', 'comprar', 'pedir', 'llevar', 'llevarme', 'ordenar',
  'encargar', 'quita', 'quitar', 'quite', 'quiten', 'saca', 'sacar', 'saque', 'elimina', 'eliminar', 'elimine', 'borra',
  'borrar', 'borre', 'retira', 'retirar', 'retire', 'remueve', 'remover', 'descarta', 'descartar', 'carrito', 'carro',
  'canasta', 'cesta', 'puedo', 'puede', 'podria', 'voy', 'vamos', 'favor', 'informacion', 'muestra', 'mostrar', 'ver',
  'veo', 'mirar', 'ensena', 'saber', 'pon', 'ponga', 'pongan', 'interesa', 'interesan', 'gusta', 'gustan',
]);

// Only these intents are about a product; a query elsewhere would be noise for the caller.
const PRODUCT_INTENTS: ReadonlySet<Intent> = new Set(['search_products', 'add_to_cart', 'remove_from_cart']);
const CART_INTENTS: ReadonlySet<Intent> = new Set(['add_to_cart', 'remove_from_cart']);

const words = (t: Token): string[] => t.norm.split(' ');
const isBreak = (t: Token): boolean => FILLERS.has(t.norm) || words(t).some((w) => ACTION_WORDS.has(w)) || isPointingVerb(t);
// pointers and ordinals ("esa", "otra igual", "la segunda") are never part of a product's name
const isEdge = (t: Token): boolean =>
  EDGE_WORDS.has(t.norm) || POINTER_WORDS.has(t.norm) || words(t).every((w) => EDGE_WORDS.has(w) || POINTER_WORDS.has(w));

/** The product the customer names: the longest run of words left once action words are cut out. */
export function findQuery(tokens: readonly Token[], skip?: { start: number; end: number }): string | undefined {
  const pieces: Token[][] = [[]];
  tokens.forEach((token, i) => {
    const skipped = skip !== undefined && i >= skip.start && i < skip.end;
    if (skipped || isBreak(token) || token.breakBefore) pieces.push([]);
    if (!skipped && !isBreak(token)) pieces[pieces.length - 1].push(token);
  });
  let best: Token[] = [];
  for (const piece of pieces) {
    let start = 0;
    let end = piece.length;
    while (start < end && isEdge(piece[start])) start++;
    while (end > start && isEdge(piece[end - 1])) end--;
    if (end - start > best.length) best = piece.slice(start, end);
  }
  return best.length > 0 ? best.map((t) => t.raw).join(' ') : undefined;
}

/** The entities that matter for the intent: product and count for the shop, order number for tracking. */
export function extractEntities(intent: Intent, text: string, tokens: readonly Token[], normalised: string): Entities {
  const entities: Entities = {};
  if (PRODUCT_INTENTS.has(intent)) {
    const quantity = CART_INTENTS.has(intent) ? findQuantity(tokens) : undefined;
    const query = findQuery(tokens, quantity);
    const ordinal = findOrdinal(tokens);
    // "la opcion 2": the digit is the ordinal, not a product
    if (query !== undefined && !(ordinal !== undefined && /^#?\d$/.test(query))) entities.query = query;
    // adding without a number means one; removing without one means the whole line, so none is given
    if (quantity !== undefined) entities.quantity = quantity.value;
    else if (intent === 'add_to_cart') entities.quantity = 1;
    if (ordinal !== undefined) entities.ordinal = ordinal;
    else if (pointsAtProduct(tokens, normalised) || (CART_INTENTS.has(intent) && query === undefined)) entities.reference = 'it';
  }
  const order = findOrderNumber(text);
  if (order !== undefined) entities.order = order;
  return entities;
}
