import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { upsertProducts, type ProductInput } from '../../src/commerce/products.ts';
import { searchCatalogue } from '../../src/commerce/search-catalogue.ts';
import { forgetSearchConcepts } from '../../src/commerce/search-concepts.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Searches by need ("algo para el frío") and by attribute ("camiseta roja") on two shops: one this project
// has never seen (a Peruvian-style store written here, with its own words: chamarra, polo, zapatillas) and
// the demo catalogue. The lexicon is general Spanish; neither shop's product names are in it as such.

const UNSEEN: ProductInput[] = [
  { sku: 'U-CHAMARRA', name: 'Chamarra acolchada negra', description: 'Relleno de pluma sintética y capucha desmontable.', category: 'Abrigos', price: 250, stock: 8, popularity: 40 },
  { sku: 'U-SUETER', name: 'Suéter tejido gris', description: 'Tejido a mano en Cusco.', category: 'Tejidos', price: 180, stock: 5, popularity: 30 },
  { sku: 'U-BUFANDA', name: 'Bufanda de alpaca roja', description: 'Suave y liviana.', category: 'Tejidos', price: 90, stock: 12, popularity: 20 },
  { sku: 'U-GUANTES', name: 'Guantes de alpaca', description: 'Un par, talla única.', category: 'Tejidos', price: 60, stock: 12, popularity: 5 },
  { sku: 'U-PARAGUAS', name: 'Paraguas plegable azul', description: 'Resiste vientos fuertes.', category: 'Accesorios', price: 70, stock: 20, popularity: 25 },
  { sku: 'U-BOTAS', name: 'Botas de caucho amarillas', description: 'Para el jardín y el barro.', category: 'Calzado', price: 120, stock: 6, popularity: 15 },
  { sku: 'U-BOTINES', name: 'Botines de cuero café', description: 'Suela cosida, color café.', category: 'Calzado', price: 300, stock: 4, popularity: 60 },
  { sku: 'U-LEGGINS', name: 'Leggins deportivos', description: 'Tela que respira. Tallas S a L.', category: 'Deporte', price: 110, stock: 9, popularity: 35 },
  { sku: 'U-PESAS', name: 'Mancuernas hexagonales 10 kg', description: 'Par de mancuernas con agarre de goma.', category: 'Deporte', price: 200, stock: 3, popularity: 10 },
  { sku: 'U-PANALERA', name: 'Pañalera con cambiador', description: 'Bolso con muchos bolsillos.', category: 'Bebés', price: 150, stock: 7, popularity: 18 },
  { sku: 'U-BIBERON', name: 'Biberón anticólicos 260 ml', description: 'Libre de BPA.', category: 'Bebés', price: 45, stock: 30, popularity: 22 },
  { sku: 'U-TRAJE', name: 'Traje de baño entero negro', description: 'Tallas S, M y L.', category: 'Verano', price: 130, stock: 10, popularity: 28 },
  { sku: 'U-GAFAS', name: 'Gafas de sol polarizadas', description: 'Protección UV400.', category: 'Accesorios', price: 95, stock: 15, popularity: 12 },
  { sku: 'U-SARTEN', name: 'Sartén de hierro fundido 26 cm', description: 'Dura toda la vida.', category: 'Menaje', price: 160, stock: 5, popularity: 14 },
  { sku: 'U-TABLA', name: 'Tabla de picar de bambú', description: 'Con canal para jugos.', category: 'Menaje', price: 55, stock: 11, popularity: 8 },
  { sku: 'U-COJIN', name: 'Cojín decorativo', description: 'Funda lavable.', category: 'Decoración', price: 40, stock: 25, popularity: 90, featured: true },
  { sku: 'U-VELA', name: 'Vela de soya', description: 'Aroma a vainilla.', category: 'Decoración', price: 35, stock: 40, popularity: 80 },
  { sku: 'U-POLO-B', name: 'Polo de algodón blanco', description: 'Cuello redondo. Tallas S a XL.', category: 'Ropa', price: 60, stock: 20, popularity: 50 },
  { sku: 'U-POLO-V', name: 'Polo de algodón verde', description: 'Cuello redondo. Tallas S a XL.', category: 'Ropa', price: 60, stock: 20, popularity: 45 },
  { sku: 'U-PIJAMA', name: 'Pijama de franela', description: 'Pantalón y camisa.', category: 'Ropa', price: 140, stock: 6, popularity: 16 },
  { sku: 'U-ZAPATILLAS', name: 'Zapatillas para trotar', description: 'Suela con amortiguación.', category: 'Calzado', price: 280, stock: 5, popularity: 33 },
  { sku: 'U-TERMO', name: 'Termo para bebidas frías', description: 'Mantiene el agua helada.', category: 'Menaje', price: 80, stock: 0, popularity: 1 },
];

let unseen: TestDatabase;
let demo: TestDatabase;

beforeAll(async () => {
  [unseen, demo] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await upsertProducts(unseen.sql, UNSEEN);
  await refreshCatalogueViews(unseen.sql);
  const file = new URL('../../data/demo-catalogue.json', import.meta.url).pathname;
  await importCatalogue(demo.sql, readCatalogue(file, await readFile(file, 'utf8')));
});
afterAll(async () => { await Promise.all([unseen?.drop(), demo?.drop()]); });

const skus = async (db: TestDatabase, text: string) => (await searchCatalogue(db.sql, text)).hits.map((h) => h.sku);

describe('needs, on a shop the lexicon has never seen', () => {
  it.each([
    ['algo para el frío', ['U-CHAMARRA', 'U-SUETER', 'U-BUFANDA']],
    ['algo para el frio', ['U-CHAMARRA', 'U-SUETER', 'U-BUFANDA']], // no accent
    ['algo para la lluvia', ['U-PARAGUAS', 'U-BOTAS']],
    ['algo pa la llubia', ['U-PARAGUAS', 'U-BOTAS']], // b for v, "pa"
    ['para hacer ejercicio', ['U-LEGGINS', 'U-PESAS']],
    ['cosas para el gimnasio', ['U-LEGGINS', 'U-PESAS']],
    ['para el bebé', ['U-PANALERA', 'U-BIBERON']],
    ['algo para la playa', ['U-TRAJE', 'U-GAFAS']],
    ['para la cocina', ['U-SARTEN', 'U-TABLA']],
    ['algo para correr', ['U-ZAPATILLAS']],
    ['algo para dormir', ['U-PIJAMA']],
  ])('"%s" finds exactly what serves it: %j', async (text, expected) => {
    const found = await searchCatalogue(unseen.sql, text);
    expect(found.hits.map((h) => h.sku).sort()).toEqual([...expected].sort());
    expect(found.need?.served).toBe(true);
    expect(found.hits.every((h) => h.match === 'need')).toBe(true);
  });

  it('keeps the product words: a kind of product for a need, and the need alone when that kind does not serve it', async () => {
    expect(await skus(unseen, 'una chamarra para el frío')).toEqual(['U-CHAMARRA']);
    expect(await skus(unseen, 'chamara para el frio')).toEqual(['U-CHAMARRA']); // a typo in the product word
    // its boots are for rubber and mud, not running: what serves running, said as such
    const shoes = await searchCatalogue(unseen.sql, 'botas para correr');
    expect(shoes.hits.map((h) => h.sku)).toEqual(['U-ZAPATILLAS']);
    expect(shoes.need).toMatchObject({ need: 'correr', withoutProductWords: true });
    expect(shoes.productWords).toEqual(['botas']);
  });

  it('names a need nothing serves, and suggests the popular products for a gift', async () => {
    const rain = await createTestDatabase();
    try {
      await upsertProducts(rain.sql, UNSEEN.filter((p) => !['U-PARAGUAS', 'U-BOTAS'].includes(p.sku)));
      await refreshCatalogueViews(rain.sql);
      const found = await searchCatalogue(rain.sql, 'algo para la lluvia');
      expect(found).toMatchObject({ hits: [], need: { need: 'la lluvia', served: false } });
    } finally {
      await rain.drop();
    }
    const gift = await searchCatalogue(unseen.sql, 'algo para regalar');
    expect(gift.popular).toBe(true);
    expect(gift.hits.length).toBeGreaterThan(0);
    expect(gift.hits[0]).toMatchObject({ sku: 'U-COJIN', match: 'popular' }); // featured first
  });

  it("takes the shop's own needs and words from search_concepts", async () => {
    expect(await skus(unseen, 'algo para el frío')).not.toContain('U-GUANTES'); // "guantes" alone is not in the lexicon (boxing gloves)
    expect((await searchCatalogue(unseen.sql, 'algo para la parrillada')).need).toBeUndefined();
    await unseen.sql`INSERT INTO search_concepts (need, cues, products) VALUES
      ('el frío', '{}', '{alpaca}'), ('la parrillada', '{parrillada,asado}', '{sartén de hierro}')`;
    forgetSearchConcepts(unseen.sql);
    try {
      expect(await skus(unseen, 'algo para el frío')).toEqual(expect.arrayContaining(['U-GUANTES', 'U-CHAMARRA']));
      expect(await skus(unseen, 'algo para el asado')).toEqual(['U-SARTEN']);
    } finally {
      await unseen.sql`DELETE FROM search_concepts`;
      forgetSearchConcepts(unseen.sql);
    }
  });
});

describe('attributes nobody has, and some have', () => {
  it('says which colour is missing and which there are, whatever the gender and number', async () => {
    for (const text of ['polo rojo', 'polos rojos', 'un polo rojo']) {
      const found = await searchCatalogue(unseen.sql, text);
      expect(found.hits.map((h) => h.sku).sort()).toEqual(['U-POLO-B', 'U-POLO-V']);
      expect(found.missing).toEqual([{ kind: 'colour', value: 'rojo', asked: text.split(' ').at(-1), available: ['blanco', 'verde'] }]);
    }
  });

  it('shows only the products that have it', async () => {
    expect(await skus(unseen, 'polo blanco')).toEqual(['U-POLO-B']);
    expect(await skus(unseen, 'polos verdes')).toEqual(['U-POLO-V']);
    expect(await skus(unseen, 'botines cafe')).toEqual(['U-BOTINES']);
    const black = await searchCatalogue(unseen.sql, 'traje de baño negro talla M');
    expect(black).toMatchObject({ missing: [] });
    expect(black.hits.map((h) => h.sku)).toEqual(['U-TRAJE']);
  });

  it('sizes: letters and ranges read from descriptions', async () => {
    expect((await searchCatalogue(unseen.sql, 'polo talla m')).hits.map((h) => h.sku).sort()).toEqual(['U-POLO-B', 'U-POLO-V']);
    const big = await searchCatalogue(unseen.sql, 'polo talla XXL');
    expect(big.missing).toEqual([{ kind: 'size', value: 'xxl', asked: 'talla XXL', available: ['S a XL'] }]);
    expect(big.hits).toHaveLength(2);
  });

  it('materials', async () => {
    const linen = await searchCatalogue(unseen.sql, 'polo de lino');
    expect(linen.missing).toEqual([{ kind: 'material', value: 'lino', asked: 'de lino', available: ['algodón'] }]);
    expect(await skus(unseen, 'polo de algodon blanco')).toEqual(['U-POLO-B']);
  });

  it('on the demo catalogue: no red T-shirt, white and black ones', async () => {
    const found = await searchCatalogue(demo.sql, 'camiseta roja');
    expect(found.hits.map((h) => h.sku).sort()).toEqual(['ROP-001', 'ROP-002']);
    expect(found.missing).toEqual([{ kind: 'colour', value: 'rojo', asked: 'roja', available: ['blanca', 'negra'] }]);
    expect(await skus(demo, 'camisetas blancas')).toEqual(['ROP-001']);
    expect(await skus(demo, 'camizetas negras')).toEqual(['ROP-002']); // a typo in a plural
    expect(await skus(demo, 'jean talla 30')).toEqual(['ROP-004']); // "tallas 28 a 38"; the other jean states none
    expect((await searchCatalogue(demo.sql, 'zapatos de cuero talla 42')).hits.map((h) => h.sku).sort()).toEqual(['CAL-001', 'CAL-002']);
  });
});

describe('needs on the demo catalogue', () => {
  it('finds the impermeable jacket, the ruana and the hoodie for the cold; the jacket for the rain', async () => {
    expect(await skus(demo, 'algo para el frío')).toEqual(expect.arrayContaining(['ROP-007', 'ROP-012', 'ROP-008']));
    expect(await skus(demo, 'algo para el frío')).not.toContain('DEP-005'); // "mantiene el agua fría" is not for the cold (and sold out)
    expect(await skus(demo, 'chaqueta para el frío')).toEqual(['ROP-007']);
    expect(await skus(demo, 'algo para la lluvia')).toEqual(['ROP-007']); // the mountain boots are sold out
    expect(await skus(demo, 'para hacer ejercicio')).toEqual(expect.arrayContaining(['DEP-002', 'DEP-003', 'CAL-004']));
    expect(await skus(demo, 'para correr')).toEqual(expect.arrayContaining(['CAL-004']));
    expect((await skus(demo, 'para la cocina')).slice(0, 3)).toEqual(expect.arrayContaining([expect.stringMatching(/^HOG-/)]));
    expect(await skus(demo, 'algo para la playa')).toEqual(expect.arrayContaining(['CAL-006']));
  });
});
