import { describe, expect, it } from 'vitest';
import { InvalidAnswerError } from '../../src/ai/errors.ts';
import { INTENTS, parseIntentAnswer, parseReplyAnswer } from '../../src/ai/intents.ts';

describe('intent answers', () => {
  it('knows the 16 intents of the contract', () => {
    expect(INTENTS).toHaveLength(16);
    expect(new Set(INTENTS).size).toBe(16);
  });

  it('accepts a valid answer and normalises null, empty and numeric-string entities', () => {
    expect(parseIntentAnswer('{"intent":"add_to_cart","entities":{"query":" camisa roja ","quantity":"2","order":null},"confidence":0.82}')).toEqual({
      intent: 'add_to_cart', entities: { query: 'camisa roja', quantity: 2 }, confidence: 0.82,
    });
    expect(parseIntentAnswer('{"intent":"order_status","entities":{"order":1042},"confidence":1}')).toEqual({ intent: 'order_status', entities: { order: '1042' }, confidence: 1 });
    expect(parseIntentAnswer('```json\n{"intent":"greeting","confidence":0.5}\n```')).toEqual({ intent: 'greeting', entities: {}, confidence: 0.5 });
  });

  it.each([
    ['not JSON', 'Hola, ¿en qué te ayudo?'],
    ['empty', '  '],
    ['an intent outside the list', '{"intent":"buy_plane_ticket","entities":{},"confidence":0.9}'],
    ['no confidence', '{"intent":"greeting","entities":{}}'],
    ['confidence out of range', '{"intent":"greeting","entities":{},"confidence":7}'],
    ['a negative quantity', '{"intent":"add_to_cart","entities":{"quantity":-1},"confidence":0.9}'],
    ['an array', '[{"intent":"greeting"}]'],
  ])('rejects %s as an invalid answer', (_, text) => {
    expect(() => parseIntentAnswer(text)).toThrow(InvalidAnswerError);
  });

  it('rejects an empty reply', () => {
    expect(parseReplyAnswer('  ¡Hola!  ')).toBe('¡Hola!');
    expect(() => parseReplyAnswer('')).toThrow(InvalidAnswerError);
    expect(() => parseReplyAnswer(null)).toThrow(InvalidAnswerError);
  });
});
