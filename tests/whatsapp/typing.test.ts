import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetaSender } from '../../src/whatsapp/meta/send.ts';
import { createWhapiSender } from '../../src/whatsapp/whapi/send.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts';
import { startFakeWhapi, type FakeWhapi } from '../support/fake-whapi.ts';

// "typing…" while the AI writes: Meta shows it per message (with the read receipt), Whapi per chat.

let graph: FakeGraph;
let whapi: FakeWhapi;
beforeAll(async () => {
  [graph, whapi] = await Promise.all([startFakeGraph({ accessToken: 'tok', phoneNumberId: '123' }), startFakeWhapi({ token: 'wtok' })]);
});
afterAll(async () => {
  await Promise.all([graph?.close(), whapi?.close()]);
});

describe('showTyping', () => {
  it('Meta: one read receipt with the typing indicator', async () => {
    await createMetaSender({ graphUrl: graph.url, phoneNumberId: '123', accessToken: 'tok' }).showTyping({ providerMessageId: 'wamid.T1', providerChatId: '573001234567' });
    expect(graph.receipts.map((r) => r.body)).toEqual([{ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.T1', typing_indicator: { type: 'text' } }]);
  });

  it('Whapi: the presence "typing" in the chat, and the blue ticks', async () => {
    await createWhapiSender({ apiUrl: whapi.url, token: 'wtok' }).showTyping({ providerMessageId: 'ABC123', providerChatId: '573001234567@s.whatsapp.net' });
    expect(whapi.presences.map((p) => [p.path, p.auth, p.body])).toEqual([['/presences/573001234567%40s.whatsapp.net', 'Bearer wtok', { presence: 'typing' }]]);
    expect(whapi.receipts.map((r) => r.messageId)).toEqual(['ABC123']);
  });

  it('never throws, whatever the provider answers', async () => {
    await expect(createWhapiSender({ apiUrl: whapi.url, token: 'wrong' }).showTyping({ providerMessageId: 'X', providerChatId: '1@s.whatsapp.net' })).resolves.toBeUndefined();
    await expect(createMetaSender({ graphUrl: 'http://127.0.0.1:1/v21.0', phoneNumberId: '1', accessToken: 't', timeoutMs: 300 }).showTyping({ providerMessageId: 'X', providerChatId: '1' })).resolves.toBeUndefined();
  });
});
