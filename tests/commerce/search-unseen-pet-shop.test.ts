import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { upsertProducts } from '../../src/commerce/products.ts';
import { statedAttributes } from '../../src/commerce/search-attributes.ts';
import { searchCatalogue } from '../../src/commerce/search-catalogue.ts';
import { namedNeed } from '../../src/commerce/search-concepts.ts';
import { SEARCH_CONCEPTS } from '../../src/commerce/search-lexicon.ts';
import { PET_SHOP } from '../support/unseen-pet-shop.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Search by need on a pet shop the lexicon was never fitted to (tests/support/unseen-pet-shop.ts), and on an
// ice-cream parlour: words that look like a need's cue but name the shop's products, sentences that name
// no product, a need most of the shop serves, a product sold out, the colours of the kind asked.

let pets: TestDatabase;
let parlour: TestDatabase;
beforeAll(async () => {
  [pets, parlour] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await upsertProducts(pets.sql, PET_SHOP);
  await upsertProducts(parlour.sql, [
    { sku: 'P-HEL-V', name: 'Helado de vainilla 1 litro', description: 'Artesanal.', category: 'Helados', price: 120, stock: 10, popularity: 30 },
    { sku: 'P-HEL-M', name: 'Helado de mora', description: 'Con trozos de fruta.', category: 'Helados', price: 110, stock: 8, popularity: 20 },
    { sku: 'P-CAFE', name: 'Café molido 500 g', description: 'Tueste medio.', category: 'Café', price: 90, stock: 12, popularity: 25 },
    { sku: 'P-CHAL', name: 'Chal de lana', description: 'Para las tardes de invierno.', category: 'Regalos', price: 300, stock: 2, popularity: 5 },
  ]);
  await Promise.all([refreshCatalogueViews(pets.sql), refreshCatalogueViews(parlour.sql)]);
});
afterAll(async () => { await Promise.all([pets?.drop(), parlour?.drop()]); });

const skus = async (db: TestDatabase, text: string) => (await searchCatalogue(db.sql, text)).hits.map((h) => h.sku);

describe('a word the catalogue names products by is a product word first', () => {
  it('"correa" is the leash, not "correr" mistyped; "helado" the ice cream, not a frost', async () => {
    for (const text of ['tienen correa?', 'la correa de nylon cuanto vale', 'correas']) {
      const found = await searchCatalogue(pets.sql, text);
      expect(found.need).toBeUndefined();
      expect(found.hits[0]?.sku).toBe('H-CORREA');
    }
    const iceCream = await searchCatalogue(parlour.sql, 'tienen helado?');
    expect(iceCream.need).toBeUndefined();
    expect(iceCream.hits.map((h) => h.sku).sort()).toEqual(['P-HEL-M', 'P-HEL-V']);
    expect((await searchCatalogue(parlour.sql, 'algo para las heladas')).need?.need).toBe('el frío'); // the cue itself still is
  });

  it('a letter off at the end is another word of the same root; in the middle, a typo', () => {
    const need = (words: string[], productWord = false) => namedNeed(words, SEARCH_CONCEPTS, () => productWord)?.concept.need;
    expect(need(['correa'])).toBeUndefined();
    expect(need(['corre'])).toBeUndefined();
    expect(need(['helado'])).toBeUndefined();
    expect(need(['llubia'])).toBe('la lluvia');
    expect(need(['gimnacio'])).toBe('hacer ejercicio');
    expect(need(['gimnacio'], true)).toBeUndefined(); // were it a word of the shop's names, it would be that
    expect(need(['gimnasio'], true)).toBe('hacer ejercicio'); // a cue as typed always counts
  });
});

describe('the product words are words the catalogue calls products by', () => {
  it('a clause about the product, the pet or the weather names nothing', async () => {
    const rain = await searchCatalogue(pets.sql, 'algo pa que no se moje cuando llueve');
    expect(rain).toMatchObject({ productWords: [], need: { need: 'la lluvia', served: true, withoutProductWords: false } });
    expect(rain.hits[0].sku).toBe('H-IMPER');
    const sleep = await searchCatalogue(pets.sql, 'y algo pa dormir para mi gato que ya esta viejito');
    expect(sleep.productWords).toEqual([]);
    expect(sleep.need).toMatchObject({ need: 'dormir', withoutProductWords: false });
    expect(sleep.hits[0].sku).toBe('H-COJIN'); // what serves sleep, and matches "gato", first
    expect((await searchCatalogue(pets.sql, 'tienen pechera pa perro q no lo lastime?')).productWords).toEqual(['pechera']);
    expect((await searchCatalogue(pets.sql, 'quiero la pluma con cascabel pa mi gato')).productWords).toEqual(['pluma', 'con', 'cascabel']);
  });

  it('a sentence about the shop, not its products, finds nothing rather than ten pet products', async () => {
    for (const text of ['puedo llevar a mi perrita a la tienda?', 'se puede entrar con el perro al local?']) {
      const found = await searchCatalogue(pets.sql, text);
      expect(found.need?.need).toBe('la mascota');
      expect(found.hits).toEqual([]);
    }
    expect((await skus(pets, 'algo para mi perro')).length).toBeGreaterThan(3); // a need alone is still a search
  });
});

describe('a need prefers the products the other words name', () => {
  it('a need most of the shop serves lets the words choose: the harness that never says "perro"', async () => {
    expect((await skus(pets, 'tienen pechera pa perro q no lo lastime?'))[0]).toBe('H-PECHERA');
    expect((await skus(pets, 'tienen arnes pa mi perrito?'))[0]).toBe('H-ARNES'); // no accent typed
    expect((await skus(pets, 'un arnez para perro'))[0]).toBe('H-ARNES'); // z for s
  });

  it('a gift for someone who loves cats is cat products', async () => {
    const gift = await searchCatalogue(pets.sql, 'busco un regalo para mi sobrina que ama los gatos');
    expect(gift.need?.need).toBe('regalar');
    const forCats = gift.hits.filter((h) => /gat/i.test(`${h.name} ${h.description}`));
    expect(forCats.length).toBeGreaterThanOrEqual(4);
    expect(forCats.length).toBeGreaterThan(gift.hits.length / 2);
    expect(`${gift.hits[0].name} ${gift.hits[0].description}`).toMatch(/gat/i);
  });
});

describe('sold out is not missing', () => {
  it('names the product sold out and offers the most like it in stock', async () => {
    const found = await searchCatalogue(pets.sql, 'quiero la pluma con cascabel pa mi gato');
    expect(found.soldOut.map((h) => h.sku)).toEqual(['H-PLUMA']);
    expect(found.hits.length).toBeGreaterThan(0);
    expect(found.hits.every((h) => h.stock > 0 && h.match === 'similar')).toBe(true);
    expect(found.hits[0].category).toBe('Juguetes');
    expect(['H-TUNEL', 'H-RATON']).toContain(found.hits[0].sku); // toys, for cats first
    expect((await searchCatalogue(pets.sql, 'tienen pelota?')).soldOut).toEqual([]); // in stock: nothing said
  });
});

describe('the colours there are, of the kind asked', () => {
  it('"cama morada": the bed\'s beige and café, not the blanket\'s or the cushion\'s colours', async () => {
    const found = await searchCatalogue(pets.sql, 'tienen cama morada?');
    expect(found.missing).toEqual([{ kind: 'colour', value: 'morado', asked: 'morada', available: ['beige', 'café'] }]);
    expect(found.hits.map((h) => h.sku)).toEqual(['H-CAMA']);
  });

  it('a word that is a colour only sometimes is one in a list of colours', () => {
    const colours = (description: string) => [...statedAttributes({ name: 'x', description }, 'colour').keys()];
    expect(colours('Colores gris y café.')).toEqual(['gris', 'cafe']);
    expect(colours('Negro, café o crema.')).toEqual(['negro', 'cafe', 'crema']);
    expect(colours('Una libra de café y crema de leche.')).toEqual([]);
  });
});
