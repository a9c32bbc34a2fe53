import { describe, expect, it } from 'vitest';
import { decideHandoff } from '../../src/conversation/handoff.ts';
import { handoffSummary } from '../../src/conversation/texts.ts';

const replies = [{ type: 'text' as const, text: 'Te paso con una persona del equipo.' }];
const settings = { afterMisunderstood: 3 };

describe('decideHandoff reasons', () => {
  it('opens a complaint with its own reason, so the operator sees it', () => {
    for (const words of ['quiero poner una queja, el pedido llego roto', 'me cobraron doble', 'me llegó dañado']) {
      expect(decideHandoff({ intent: 'human_agent', replies, words }, 0, settings)).toEqual({ reason: 'complaint', replies, misses: 0 });
    }
  });

  it('keeps a plain request for a person as requested, with or without the words', () => {
    expect(decideHandoff({ intent: 'human_agent', replies, words: 'me puede atender una persona porfa' }, 1, settings).reason).toBe('requested');
    expect(decideHandoff({ intent: 'human_agent', replies }, 0, settings).reason).toBe('requested');
  });

  it('still hands over after the misses, and not for a complaint-sounding message the bot did not read as one', () => {
    expect(decideHandoff({ intent: 'unknown', replies, misunderstood: true }, 2, settings).reason).toBe('not_understood');
    expect(decideHandoff({ intent: 'order_status', replies, words: 'me llegó dañado' }, 0, settings).reason).toBeUndefined();
  });

  it('tells the operator a complaint is a complaint', () => {
    expect(handoffSummary({ chatId: '573001112233', customerName: 'Ana', reason: 'complaint', lastMessage: 'me llegó roto' })).toContain('tiene una queja o reclamo');
  });
});
