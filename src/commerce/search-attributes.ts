import { foldAccents } from '../lib/text.ts';

// Colours, sizes and materials: which a customer asks for ("camisetas rojas", "talla XL", "de lino") and
// which a product has, read from its name and description. Pure. Search uses it to say plainly that no
// red T-shirt exists, and which colours do, instead of listing white ones as if they were red.

export type AttributeKind = 'colour' | 'size' | 'material';

export interface AskedAttribute {
  kind: AttributeKind;
  /** One key for every form: "rojo" for rojo, roja, rojos, rojas; "xl" for talla XL. */
  value: string;
  /** As the customer wrote it, for the reply: "rojas", "talla XL", "de lino". */
  typed: string;
  /** Positions of its words in the search words. */
  at: number[];
}

const gendered = (masculine: string) => {
  const root = masculine.slice(0, -1);
  return [masculine, `${root}a`, `${root}os`, `${root}as`];
};
const withPlural = (word: string) => [word, /[aeiou]$/.test(word) ? `${word}s` : `${word}es`];

// colour key → its forms, accents folded
const COLOURS = new Map<string, string[]>();
const colour = (key: string, forms: string[]) => COLOURS.set(key, [...(COLOURS.get(key) ?? []), ...forms]);
for (const c of ['blanco', 'negro', 'rojo', 'amarillo', 'rosado', 'morado', 'dorado', 'plateado']) colour(c, gendered(c));
for (const c of ['azul', 'verde', 'gris', 'beige', 'fucsia', 'lila', 'turquesa', 'vinotinto', 'violeta', 'celeste', 'caqui', 'ocre', 'magenta']) colour(c, withPlural(c));
colour('rojo', gendered('colorado'));
colour('cafe', [...withPlural('cafe'), ...withPlural('marron')]);
colour('rosado', withPlural('rosa'));
colour('naranja', [...withPlural('naranja'), ...gendered('anaranjado')]);
colour('crema', withPlural('crema'));
colour('mostaza', withPlural('mostaza'));
// Words that are a colour only sometimes ("libra de café", "aroma a rosa", "crema hidratante"): asked
// only right after a product word, and read off a product only after "color" or "tono".
const SOMETIMES_COLOURS = new Set(['cafe', 'cafes', 'rosa', 'rosas', 'naranja', 'naranjas', 'crema', 'cremas', 'mostaza', 'mostazas']);

const MATERIALS = new Map<string, string[]>([
  'cuero', 'algodon', 'lino', 'lana', 'seda', 'madera', 'acero', 'aluminio', 'vidrio', 'plastico', 'ceramica', 'denim', 'lona', 'caucho',
  'fique', 'gamuza', 'poliester', 'bambu', 'silicona', 'cuerina', 'mimbre', 'porcelana', 'hierro', 'cobre', 'oro', 'plata', 'neopreno',
  'terciopelo', 'franela', 'dril', 'pana', 'cristal', 'barro', 'totumo', 'iraca',
].map((m) => [m, withPlural(m)]));

const LETTER_SIZES = ['xxs', 'xs', 's', 'm', 'l', 'xl', 'xxl', 'xxxl'];
const SIZE_ALIASES: Record<string, string> = { '2xl': 'xxl', '3xl': 'xxxl' };
const SIZE_WORDS = new Set(['talla', 'tallas', 'numero', 'num', 'nro']);
const letterSize = (w: string) => (LETTER_SIZES.includes(SIZE_ALIASES[w] ?? w) ? (SIZE_ALIASES[w] ?? w) : undefined);
const numberSize = (w: string) => (/^\d{1,2}$/.test(w) && Number(w) > 0 ? String(Number(w)) : undefined);
const sizeValue = (w: string) => letterSize(w) ?? numberSize(w);

const formToKey = (table: Map<string, string[]>) => new Map([...table].flatMap(([key, forms]) => forms.map((f) => [f, key] as [string, string])));
const COLOUR_OF = formToKey(COLOURS);
const MATERIAL_OF = formToKey(MATERIALS);

// One letter off (a typo on a phone) counts for words of six letters or more, like "amarilo" or
// "blanka"; shorter words have too many neighbours ("lindo" is not "lino").
function nearForm(word: string, table: Map<string, string>): { form: string; key: string } | undefined {
  const exact = table.get(word);
  if (exact) return { form: word, key: exact };
  if (word.length < 6) return undefined;
  for (const [form, key] of table) if (form.length >= 6 && withinOneEdit(word, form)) return { form, key };
  return undefined;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const sizeWord = (w: string) => (SIZE_WORDS.has(foldAccents(w)) ? (foldAccents(w).startsWith('t') ? 'talla' : 'número') : w.toUpperCase());

const NOT_BEFORE_SOMETIMES_COLOUR = new Set(['de', 'a', 'con', 'sabor', 'aroma', 'olor']);

/** The colours, sizes and materials in a search's words (lower case, as searchWords gives them). */
export function askedAttributes(words: readonly string[]): AskedAttribute[] {
  const folded = words.map(foldAccents);
  const asked: AskedAttribute[] = [];
  const taken = new Set<number>();
  // a misspelt colour is shown as it should be spelt ("amarilo" → amarillo)
  const add = (kind: AttributeKind, value: string, at: number[], spelt?: string) => {
    if (asked.some((a) => a.kind === kind && a.value === value)) return;
    at.forEach((i) => taken.add(i));
    const shown = (i: number) => (kind === 'size' ? sizeWord(words[i]) : i === at[at.length - 1] && spelt ? spelt : words[i]);
    asked.push({ kind, value, typed: at.map(shown).join(' '), at });
  };
  folded.forEach((w, i) => {
    if (taken.has(i)) return;
    const next = folded[i + 1];
    if (SIZE_WORDS.has(w) && next !== undefined && sizeValue(next)) return add('size', sizeValue(next)!, [i, i + 1]);
    if (/^(x{1,3}[sl]|[23]xl)$/.test(w)) return add('size', letterSize(w)!, [i]);
    const material = MATERIAL_OF.get(w);
    if (material) return add('material', material, folded[i - 1] === 'de' || folded[i - 1] === 'en' ? [i - 1, i] : [i]);
    if (SOMETIMES_COLOURS.has(w) && (i === 0 || NOT_BEFORE_SOMETIMES_COLOUR.has(folded[i - 1]))) return;
    const colour = nearForm(w, COLOUR_OF);
    if (colour) return add('colour', colour.key, folded[i - 1] === 'color' ? [i - 1, i] : [i], colour.form === w ? undefined : colour.form);
  });
  return asked;
}

const textOf = (p: { name: string; description: string | null }) => `${p.name}. ${p.description ?? ''}`;

/**
 * The colours, materials or sizes a product's name and description state: each value's key → how the
 * product writes it ("negra", "algodón"; for a size, the range it is in: "S a XL").
 */
export function statedAttributes(p: { name: string; description: string | null }, kind: AttributeKind): Map<string, string> {
  const original = textOf(p).toLowerCase().match(/[\p{L}\p{N}]+|[.;:]/gu) ?? [];
  const words = original.map(foldAccents);
  const values = new Map<string, string>();
  if (kind === 'size') return statedSizes(words);
  const table = kind === 'colour' ? COLOUR_OF : MATERIAL_OF;
  const colourAt = new Set<number>();
  words.forEach((w, i) => {
    const key = table.get(w);
    if (!key) return;
    if (kind === 'colour' && SOMETIMES_COLOURS.has(w) && !saidAsColour(words, i, colourAt)) return;
    colourAt.add(i);
    if (!values.has(key)) values.set(key, original[i]);
  });
  return values;
}

// A word that is a colour only sometimes is one after "color" or "tono", or in a list of colours: "colores
// gris y café", "negro, café o crema" (the commas are gone by now).
function saidAsColour(words: readonly string[], i: number, colourAt: ReadonlySet<number>): boolean {
  const before = words[i - 1];
  if (['color', 'colores', 'tono', 'tonos'].includes(before)) return true;
  return colourAt.has(i - 1) || (['y', 'o', 'e'].includes(before) && colourAt.has(i - 2));
}

// "Tallas S a XL", "tallas 28 a 38", "talla M", "tallas S, M y L", "del 36 al 42", "número 5": the words
// after "talla" that are sizes or join them; the first other word ends the list.
const JOINERS = new Set(['a', 'al', 'y', 'o', 'e', 'de', 'del', 'la', 'las', 'hasta', 'desde', ',']);
const RANGE = new Set(['a', 'al', 'hasta']);

function statedSizes(words: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  words.forEach((w, i) => {
    if (!SIZE_WORDS.has(w)) return;
    const sizes: { value: string; range: boolean }[] = [];
    let range = false;
    for (let j = i + 1; j < words.length; j++) {
      const size = sizeValue(words[j]);
      if (size) { sizes.push({ value: size, range }); range = false; continue; }
      if (!JOINERS.has(words[j])) break;
      if (RANGE.has(words[j]) && sizes.length) range = true;
    }
    for (let k = 0; k < sizes.length; k++) {
      const next = sizes[k + 1];
      if (next?.range) {
        const span = sizeSpan(sizes[k].value, next.value);
        const shown = `${display(sizes[k].value)} a ${display(next.value)}`;
        for (const s of span) values.set(s, shown);
        k++;
      } else if (!values.has(sizes[k].value)) values.set(sizes[k].value, display(sizes[k].value));
    }
  });
  return values;
}

function sizeSpan(from: string, to: string): string[] {
  const a = LETTER_SIZES.indexOf(from), b = LETTER_SIZES.indexOf(to);
  if (a >= 0 && b >= a) return LETTER_SIZES.slice(a, b + 1);
  const x = Number(from), y = Number(to);
  if (Number.isInteger(x) && Number.isInteger(y) && y >= x && y - x <= 40) return Array.from({ length: y - x + 1 }, (_, n) => String(x + n));
  return [from, to];
}

const display = (size: string) => (/^\d+$/.test(size) ? size : size.toUpperCase());

/** Whether a product has what was asked: its name or description holds the colour or material in any form, or states the size. */
export function hasAttribute(p: { name: string; description: string | null }, asked: AskedAttribute): boolean {
  if (asked.kind === 'size') return statedSizes((textOf(p).toLowerCase().match(/[\p{L}\p{N}]+|[.;:]/gu) ?? []).map(foldAccents)).has(asked.value);
  const forms = (asked.kind === 'colour' ? COLOURS : MATERIALS).get(asked.value) ?? [];
  const words = new Set((textOf(p).match(/[\p{L}\p{N}]+/gu) ?? []).map(foldAccents));
  return forms.some((f) => words.has(f));
}
