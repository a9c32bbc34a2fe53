import { readFile } from 'node:fs/promises';
import { it } from 'vitest';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { classify } from '../../src/conversation/keywords/classify.ts';
import { shopTurn } from '../../src/conversation/shop/flows.ts';
import { createTestDatabase } from '../support/test-db.ts';

it('explore', async () => {
  const db = await createTestDatabase();
  const file = '/work/wt/explore/explore/patitas-catalogue.csv';
  await importCatalogue(db.sql, readCatalogue(file, await readFile(file, 'utf8')));
  const lines = (process.env.Q ?? '').split('|');
  for (const text of lines) {
    const { intent, entities } = classify(text);
    const turn = { phone: '573000000001', customerName: null, intent: intent === 'unknown' ? ('search_products' as const) : intent, entities: intent === 'unknown' ? { query: text } : entities, text };
    const out = await shopTurn(db.sql, turn as any, { state: 'idle', context: {} }, { paymentLinks: false, cashOnDelivery: true });
    console.log(`\n>> ${text}\n   intent=${intent} query=${JSON.stringify(entities.query)}`);
    for (const r of out.replies as any[]) console.log('   < ' + (r.text ?? r.body ?? '').replace(/\n/g, ' ⏎ ') + ' [' + (r.sections?.flatMap((s: any) => s.rows.map((x: any) => x.title)).join(' | ') ?? '') + ']');
  }
  await db.drop();
}, 60000);
