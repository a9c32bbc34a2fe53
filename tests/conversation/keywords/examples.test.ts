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

  // speed is a figure of `npm run bench` (keyword_classify_per_s), not a test
});
