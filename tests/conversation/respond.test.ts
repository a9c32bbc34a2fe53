import { describe, expect, it } from 'vitest';
import { respond } from '../../src/conversation/respond.ts';
import type { CustomerTurn } from '../../src/conversation/turn.ts';

const turn = (t: Partial<CustomerTurn>): CustomerTurn => ({ kind: 'text', text: null, replyId: null, customerName: null, details: {}, ...t });
const bodyOf = (o: ReturnType<typeof respond>) => {
  if (o.action !== 'reply') return '';
  const c = o.replies[0];
  return c.type === 'text' ? c.text : c.type === 'buttons' || c.type === 'list' ? c.body : '';
};

describe('respond (pipeline placeholder understanding)', () => {
  it('greets by first name with the menu buttons', () => {
    const o = respond([turn({ text: 'Hola buenas tardes', customerName: 'María José Pérez' })]);
    expect(o.action).toBe('reply');
    expect(bodyOf(o)).toContain('¡Hola, María!');
    expect(o.action === 'reply' && o.replies[0].type).toBe('buttons');
  });
  it('reads a burst as one: the greeting in the first message counts', () => {
    expect(bodyOf(respond([turn({ text: 'ola' }), turn({ text: 'una pregunta' })]))).toContain('¡Hola!');
  });
  it('answers help, thanks and goodbye in Spanish', () => {
    expect(bodyOf(respond([turn({ text: 'MENÚ' })]))).toContain('Esto es lo que puedo hacer');
    expect(bodyOf(respond([turn({ text: 'mil gracias!!' })]))).toContain('Con gusto');
    expect(bodyOf(respond([turn({ text: 'chao, hablamos luego' })]))).toContain('Hasta pronto');
  });
  it('skips what needs no answer and asks for text where it cannot read yet', () => {
    expect(respond([turn({ kind: 'reaction' })])).toEqual({ action: 'skip', reason: 'reaction needs no reply' });
    expect(respond([turn({ kind: 'system' })]).action).toBe('skip');
    expect(bodyOf(respond([turn({ kind: 'audio' })]))).toContain('nota de voz');
    expect(bodyOf(respond([turn({ kind: 'unsupported' })]))).toContain('solo puedo leer mensajes de texto');
  });
  it('reads an image caption like text', () => {
    expect(bodyOf(respond([turn({ kind: 'image', text: 'hola, tienen este?' })]))).toContain('¡Hola!');
  });
  it('never leaves a customer without an answer to text', () => {
    expect(bodyOf(respond([turn({ text: 'el perro de mi vecina ladra mucho' })]))).toContain('No estoy seguro');
  });
});
