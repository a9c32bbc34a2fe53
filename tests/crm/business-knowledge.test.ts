import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeSource, MAX_KNOWLEDGE_CHARS, putKnowledge } from '../../src/crm/business-knowledge.ts';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { until } from '../support/test-runtime.ts';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  [db, dir] = await Promise.all([createTestDatabase(), mkdtemp(join(tmpdir(), 'knowledge-'))]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), rm(dir, { recursive: true, force: true })]);
});

describe('business knowledge for AI replies', () => {
  it('is empty until someone writes it down: the assistant gets no invented facts', async () => {
    expect(await createKnowledgeSource(db.sql).text()).toBe('');
  });

  it('joins the file and the table rows in their order, and follows table changes after its cache', async () => {
    const file = join(dir, 'negocio.md');
    await writeFile(file, 'Dirección: Calle 10 # 43-20, Medellín.\n');
    await putKnowledge(db.sql, { topic: 'pagos', content: 'Efectivo o transferencia', sortOrder: 2 });
    await putKnowledge(db.sql, { topic: 'horario', content: 'Lunes a sábado, 8 a 6', sortOrder: 1 });
    const source = createKnowledgeSource(db.sql, { file, refreshMs: 0 });
    expect(await source.text()).toBe('Dirección: Calle 10 # 43-20, Medellín.\nhorario: Lunes a sábado, 8 a 6\npagos: Efectivo o transferencia');
    await putKnowledge(db.sql, { topic: 'pagos', content: 'Solo transferencia', sortOrder: 2 });
    expect(await source.text()).toContain('pagos: Efectivo o transferencia'); // the cached text at once, refreshed behind
    expect(await until(async () => (await source.text()).includes('pagos: Solo transferencia'), 5000)).toBe(true);
  });

  it('keeps the prompt bounded', async () => {
    for (let i = 0; i < 3; i++) await putKnowledge(db.sql, { topic: `faq-${i}`, content: 'x'.repeat(3000) });
    expect((await createKnowledgeSource(db.sql).text()).length).toBe(MAX_KNOWLEDGE_CHARS);
  });

  it('refuses to start with a BUSINESS_KNOWLEDGE_FILE that cannot be read', () => {
    expect(() => loadConfig({ BUSINESS_KNOWLEDGE_FILE: join(dir, 'missing.md') })).toThrow(ConfigError);
    expect(() => loadConfig({ BUSINESS_KNOWLEDGE_FILE: dir })).toThrow(/not a readable file/);
  });
});
