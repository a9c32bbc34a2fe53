import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/conversation/keywords/classify.ts';
import { EXAMPLES_FILE, readLabelled } from './labelled.ts';

const examples = readLabelled(EXAMPLES_FILE);

describe('keyword understanding on the shared labelled examples', () => {
  it.each(examples)('$text → $intent', ({ text, intent, entities }) => {
    const result = classify(text);
    expect(result.intent).toBe(intent);
    // where the example names entities, its product, count and order must be exactly those (no extra
    // quantity, no stray order); the reference, ordinal and reason markers added since may come beside them
    if (entities) {
      const { query, quantity, order } = result.entities;
      expect({ query, quantity, order }).toEqual({ query: entities.query, quantity: entities.quantity, order: entities.order });
    }
  });

  it('prints a throughput figure (not asserted)', () => {
    const rounds = 200;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) for (const { text } of examples) classify(text);
    const seconds = (performance.now() - started) / 1000;
    const perSecond = Math.round((rounds * examples.length) / seconds);
    console.log(`classify: ${perSecond.toLocaleString('en')} messages/s over ${rounds} × ${examples.length} examples`);
    expect(perSecond).toBeGreaterThan(0);
  });
});
