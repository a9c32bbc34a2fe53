import { describe, expect, it } from 'vitest';
import { arrayItemLines, CatalogueFileError, readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { validateRecords } from '../../src/commerce/catalogue-rows.ts';

// Reading and checking catalogue files: no database. What a shop's spreadsheet or script produces, and
// what goes wrong in them.

const HEADER = 'sku,name,description,category,price,stock,featured,offer_price,image_url';

describe('CSV', () => {
  it('reads rows by header name, with quoted commas and line breaks, and numbers each by its first line', () => {
    const records = readCatalogue('c.csv', `${HEADER}\nA-1,Camiseta,"Algodón, talla M",Ropa,39900,10,sí,,\n\nA-2,"Ruana\nboyacense",,Ropa,159900,5,,,https://x.co/r.jpg\nA-3,Gorra,,Ropa,29900,2,0,19900,\n`);
    expect(records.map((r) => r.line)).toEqual([2, 4, 6]);
    const { rows, rejections } = validateRecords(records);
    expect(rejections).toEqual([]);
    expect(rows[0]).toMatchObject({ sku: 'A-1', description: 'Algodón, talla M', featured: true, offerPrice: null, imageUrl: null });
    expect(rows[1]).toMatchObject({ name: 'Ruana\nboyacense', description: null, featured: false, imageUrl: 'https://x.co/r.jpg', line: 4 });
    expect(rows[2]).toMatchObject({ price: 29900, offerPrice: 19900, stock: 2, featured: false });
  });

  it('takes semicolons, a byte-order mark, a decimal comma and columns in any order or case', () => {
    const records = readCatalogue('c.csv', `\uFEFFSKU;Category;Name;Price;Stock\nB-1;Hogar;Olla;89900,50;3\n`);
    expect(validateRecords(records).rows).toEqual([expect.objectContaining({ sku: 'B-1', category: 'Hogar', price: 89900.5, stock: 3 })]);
  });

  it('refuses a file without the required columns, or with unknown ones, naming them', () => {
    expect(() => readCatalogue('c.csv', 'sku,nombre,price\nX,Y,1\n')).toThrow(CatalogueFileError);
    expect(() => readCatalogue('c.csv', 'sku,nombre,price\nX,Y,1\n')).toThrow(/missing column\(s\) name, category, stock; unknown column\(s\) "nombre"/);
    expect(() => readCatalogue('c.csv', `${HEADER},sku\n`)).toThrow(/repeated column\(s\) sku/);
    expect(() => readCatalogue('c.csv', '')).toThrow(/empty/);
    expect(() => readCatalogue('c.csv', `${HEADER}\nA,"never closed,Ropa,1,1\n`)).toThrow(/not valid CSV.*line 2/);
  });

  it('rejects a row with too few or too many cells, and keeps the others', () => {
    const { rows, rejections } = validateRecords(readCatalogue('c.csv', 'sku,name,category,price,stock\nA,Olla,Hogar,1000,1\nB,Sartén\nC,Taza,Hogar,5000,2,extra\n'));
    expect(rows.map((r) => r.sku)).toEqual(['A']);
    expect(rejections).toEqual([
      { line: 3, reason: 'has 2 field(s) where the header has 5' },
      { line: 4, reason: 'has 6 field(s) where the header has 5' },
    ]);
  });
});

describe('JSON', () => {
  it('reads an array of objects and finds the line each starts on', () => {
    const text = '[\n  {"sku": "J-1", "name": "Olla", "category": "Hogar", "price": 1000, "stock": 1},\n\n  {\n    "sku": "J-2", "name": "Taza \\"roja\\" [x]",\n    "category": "Hogar", "price": "2500", "stock": "4"\n  }\n]';
    expect(arrayItemLines(text)).toEqual([2, 4]);
    const { rows } = validateRecords(readCatalogue('j.json', text));
    expect(rows).toEqual([expect.objectContaining({ sku: 'J-1', line: 2 }), expect.objectContaining({ sku: 'J-2', name: 'Taza "roja" [x]', price: 2500, stock: 4, line: 4 })]);
  });

  it('refuses text that is not JSON, or not an array', () => {
    expect(() => readCatalogue('j.json', '[{"sku": "J-1",]')).toThrow(/j.json is not valid JSON/);
    expect(() => readCatalogue('j.json', '{"sku": "J-1"}')).toThrow(/expected a JSON array of products, got object/);
    expect(() => readCatalogue('catalogue', '{"sku": "J-1"}')).toThrow(CatalogueFileError); // no extension: told by its first character
  });
});

describe('row checks', () => {
  const row = (over: Record<string, unknown>) => ({ line: 7, fields: { sku: 'R-1', name: 'Olla', category: 'Hogar', price: '89900', stock: '3', ...over } });
  const reason = (over: Record<string, unknown>) => validateRecords([row(over)]).rejections[0]?.reason;

  it.each([
    [{ price: '129.900' }, /price must be a number like 129900 or 129900.50, without thousands separators \(got "129.900"\)/],
    [{ price: '1,299,000' }, /price must be a number like/],
    [{ price: 'gratis' }, /price must be a number like/],
    [{ price: -5 }, /price must be 0 or more/],
    [{ price: 10.005 }, /price has more than 2 decimals/],
    [{ price: '' }, /price is missing/],
    [{ stock: '-2' }, /stock must be 0 or more \(got -2\)/],
    [{ stock: '2.5' }, /stock must be a whole number/],
    [{ stock: undefined }, /stock is missing/],
    [{ offer_price: '89900' }, /offer_price must be lower than price/],
    [{ featured: 'quizás' }, /featured must be true or false/],
    [{ image_url: 'ftp://x.co/a.jpg' }, /image_url must be an http\(s\) URL/],
    [{ category: '¡!' }, /category needs a letter or a digit/],
    [{ name: '  ' }, /name is empty/],
    [{ precio: 3 }, /unknown field\(s\) precio/],
  ])('rejects %j with a reason', (over, expected) => {
    expect(reason(over)).toMatch(expected);
  });

  it('gives every reason of a row at once, with its line and SKU', () => {
    expect(validateRecords([row({ price: 'x', stock: -1 })]).rejections).toEqual([
      { line: 7, sku: 'R-1', reason: expect.stringMatching(/^price must be .*; stock must be 0 or more/) },
    ]);
    expect(validateRecords([{ line: 3, fields: 'Olla' }]).rejections[0]).toEqual({ line: 3, reason: expect.stringMatching(/must be an object/) });
  });

  it('keeps the first of a SKU given twice and says where it was', () => {
    const { rows, rejections } = validateRecords([row({}), { ...row({ name: 'Otra' }), line: 9 }]);
    expect(rows.map((r) => r.name)).toEqual(['Olla']);
    expect(rejections).toEqual([{ line: 9, sku: 'R-1', reason: 'sku R-1 was already given on line 7' }]);
  });

  it('accepts "$129900", "sí"/"no" and a shop\'s own popularity and on/off switch', () => {
    const { rows } = validateRecords([row({ price: '$129900', featured: 'no', popularity_score: '12.5', is_available: 'false' })]);
    expect(rows[0]).toMatchObject({ price: 129900, featured: false, popularity: 12.5, available: false });
  });
});
