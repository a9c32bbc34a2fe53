import { describe, expect, it } from 'vitest';
import { respond } from '../../src/conversation/respond.ts';
import type { CustomerTurn } from '../../src/conversation/turn.ts';

const turn = (t: Partial<CustomerTurn>): CustomerTurn => ({ kind: 'text', text: null, replyId: null, customerName: null, details: {}, ...t });
const bodyOf = (o: ReturnType<typeof respond>) => {
  if (o.action !== 'reply') return '';
  const c = o.replies[0];
  return c.type === 'text' ? c.text : c.type === 'buttons' || c.type === 'list' ? c.body : '';
};

describe('respond', () => {
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

  it('understands WhatsApp Spanish through the keyword path', () => {
    expect(bodyOf(respond([turn({ text: 'quiubo parce', customerName: 'Juan' })]))).toContain('¡Hola, Juan!');
    expect(bodyOf(respond([turn({ text: 'grax' })]))).toContain('Con gusto');
  });
  it('confirms an opt-out, marks it, and labels the guest', () => {
    const o = respond([turn({ text: 'STOP' })]);
    expect(o).toMatchObject({ action: 'reply', optOut: true, labels: { add: ['no_contactar'] } });
    expect(bodyOf(o)).toContain('no te enviaremos más mensajes');
  });
  it('tells a guest who asks for a person that the team will answer (the converse stage opens the handoff)', () => {
    const o = respond([turn({ text: 'necesito hablar con una persona' })]);
    expect(o).toMatchObject({ action: 'reply', replies: [{ type: 'text', text: expect.stringContaining('persona del equipo') }] });
  });
  it('maps a tapped button by its id, whatever its title says', () => {
    expect(bodyOf(respond([turn({ kind: 'interactive', text: 'Mi carrito', replyId: 'menu:agent' })]))).toContain('una persona del equipo');
  });
  it('adds "nuevo" on a first conversation without dropping the turn\'s own labels', () => {
    expect(respond([turn({ text: 'STOP' })], { previousTurns: 0 }).labels).toEqual({ add: ['no_contactar', 'nuevo'] });
    expect(respond([turn({ text: 'hola' })], { previousTurns: 3 }).labels).toBeUndefined();
  });
});
