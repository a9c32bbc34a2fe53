import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeSource, putKnowledge } from '../../src/crm/business-knowledge.ts';
import { answerFactQuestion } from '../../src/facts/answer-question.ts';
import { fileEntries, syncKnowledgeFile } from '../../src/facts/knowledge-file.ts';
import { knowledgeFor, relevantKnowledge } from '../../src/facts/relevant-knowledge.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// The file's facts answer like the table's, and an AI reply reads only the entries about the question.

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  [db, dir] = await Promise.all([createTestDatabase(), mkdtemp(join(tmpdir(), 'facts-file-'))]);
  await db.sql`UPDATE shipping_options SET is_active = false`;
});
afterAll(async () => { await Promise.all([db?.drop(), rm(dir, { recursive: true, force: true })]); });

describe('BUSINESS_KNOWLEDGE_FILE', () => {
  it('reads "Tema: texto" lines and paragraphs under headings as entries', () => {
    expect(fileEntries('# Taller\nHorario de atención: 8 a 5.\n\n# Repuestos\nTraemos repuestos originales.\nEn 3 días.\n')).toEqual([
      { topic: 'horario-de-atencion', content: '8 a 5.' },
      { topic: 'repuestos', content: 'Traemos repuestos originales.\nEn 3 días.' },
    ]);
  });

  it('is searchable once loaded, and a new load replaces the old one', async () => {
    const file = join(dir, 'taller.md');
    await writeFile(file, '# Taller de bicicletas Ruedas\nHorario: martes a domingo de 8:00 a. m. a 5:00 p. m.\nMantenimiento: el mantenimiento general cuesta $60.000 y tarda 2 días.\n');
    expect(await syncKnowledgeFile(db.sql, file)).toBe(2);
    const ask = (q: string) => answerFactQuestion(db.sql, q, { payments: { paymentLinks: false, cashOnDelivery: true } });
    expect((await ask('abren los lunes?'))?.text).toBe('martes a domingo de 8:00 a. m. a 5:00 p. m.');
    expect((await ask('cuanto vale un mantenimiento?'))?.text).toMatch(/\$60\.000/);
    await writeFile(file, 'Horario: lunes a viernes.\n');
    await syncKnowledgeFile(db.sql, file);
    expect(await ask('cuanto vale un mantenimiento?')).toBeUndefined();
    await syncKnowledgeFile(db.sql, undefined);
    expect(await ask('abren los lunes?')).toBeUndefined();
  });
});

describe('knowledge for an AI reply', () => {
  beforeAll(async () => {
    await putKnowledge(db.sql, { topic: 'horario', content: 'Abrimos de lunes a sábado de 9 a 6.', sortOrder: 1 });
    await putKnowledge(db.sql, { topic: 'envios', content: 'Enviamos con Servientrega en 3 días hábiles. Cuesta $9.000.', sortOrder: 2 });
    await putKnowledge(db.sql, { topic: 'garantia', content: 'Garantía de 3 meses en todo.', sortOrder: 3 });
  });

  it('gives only the entries about the question', async () => {
    expect(await relevantKnowledge(db.sql, 'hacen despachos a cali? cuanto demora?')).toBe('envios: Enviamos con Servientrega en 3 días hábiles. Cuesta $9.000.');
    const both = await relevantKnowledge(db.sql, 'a que hora cierran y tienen garantia?');
    expect(both?.split('\n').sort()).toEqual(['garantia: Garantía de 3 meses en todo.', 'horario: Abrimos de lunes a sábado de 9 a 6.']);
  });

  it('falls back to all of it when nothing written matches', async () => {
    const all = createKnowledgeSource(db.sql);
    expect(await knowledgeFor(db.sql, 'y eso?', () => all.text())).toContain('horario: Abrimos');
    expect(await knowledgeFor(db.sql, 'y eso?', () => all.text())).toContain('garantia: Garantía');
  });
});

describe('the AI reply\'s prompt', () => {
  it('holds the entries about the question and not the others', async () => {
    const { understandWithAi } = await import('../../src/conversation/understand.ts');
    let facts: string[] = [];
    const router = {
      available: async () => true,
      classify: async () => ({ intent: 'unknown' as const, entities: {}, confidence: 0.9, provider: 'fake' }),
      reply: async (_m: unknown, context?: { facts?: string[] }) => { facts = context?.facts ?? []; return { text: 'ok', provider: 'fake' }; },
    } as unknown as Parameters<typeof understandWithAi>[1]['ai'];
    const all = createKnowledgeSource(db.sql);
    const turn = { kind: 'text', text: 'tienen garantia los productos?', replyId: null, customerName: null, details: {} };
    await understandWithAi([turn], { ai: router, history: async () => [], guestFacts: async () => [], knowledge: (q) => knowledgeFor(db.sql, q, () => all.text()) });
    const business = facts.join('\n');
    expect(business).toContain('garantia: Garantía de 3 meses en todo.');
    expect(business).not.toContain('horario');
    expect(business).not.toContain('Servientrega');
  });
});
