import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/crm/system-config.ts';
import { registry } from '../../src/metrics/registry.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// The AI path through the whole pipeline: a signed webhook in, the real `openai` client talking to a fake
// OpenAI on loopback, the reply out through the fake Graph API. Only OpenAI has a key here.

let p: Pipeline;
let openai: FakeOpenAi;
let n = 0;

const AI_ANSWER = 'Abrimos los domingos de 9:00 a. m. a 1:00 p. m. ¿Te ayudo con algo más?';
const system = (body: Record<string, unknown>) => String((body.messages as { role: string; content: string }[])[0]?.content ?? '');
const isClassify = (body: Record<string, unknown>) => system(body).startsWith('Clasificas');
const classifyAs = (intent: string, confidence = 0.9) => (body: Record<string, unknown>) =>
  isClassify(body) ? JSON.stringify({ intent, entities: {}, confidence }) : AI_ANSWER;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  p = await startPipeline({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.url, MESSAGE_BUFFER_MS: '0' } });
  // quick limits so an outage shows within the test: 400 ms per call, breaker after 3 calls, 1 s reset
  await p.db.sql`UPDATE ai_provider_config SET timeout_ms = 400, circuit_breaker_threshold = 3, circuit_breaker_timeout = 1 WHERE provider_name = 'openai'`;
  await p.db.sql`INSERT INTO business_knowledge (topic, content) VALUES ('horario', 'Domingos de 9:00 a. m. a 1:00 p. m.')`;
});
afterAll(async () => {
  await p?.stop();
  await openai?.close();
});
beforeEach(() => {
  openai.recover();
  openai.reply(classifyAs('unknown'));
});

const phone = () => `5730055${String(++n).padStart(5, '0')}`;
const say = (from: string, body: string) => p.postMeta(metaEnvelope([metaTextMessage({ from, id: `wamid.ai.${from}.${++n}`, body, name: 'Laura Gómez' })]));
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const textOf = (s: { body: unknown }) => {
  const b = s.body as { text?: { body: string }; interactive?: { body: { text: string } } };
  return b.text?.body ?? b.interactive?.body.text ?? '';
};
const requestsAbout = (needle: string) => openai.requests.filter((r) => JSON.stringify(r.body ?? {}).includes(needle));

describe('AI replies', () => {
  it('answers a free-form question in the business voice, with the history, the profile and the business facts, showing typing first', async () => {
    const to = phone();
    await say(to, 'hola');
    expect(await until(() => sentTo(to).length === 1)).toBe(true);
    await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${to} AND status = 'sent'`).length === 1);

    await say(to, 'a que hora abren el domingo?');
    expect(await until(() => sentTo(to).length === 2)).toBe(true);
    expect(textOf(sentTo(to)[1])).toBe(AI_ANSWER);

    const [classifyCall, replyCall] = requestsAbout('a que hora abren el domingo?');
    expect(isClassify(classifyCall.body!)).toBe(true);
    const messages = replyCall.body!.messages as { role: string; content: string }[];
    expect(messages[0].role).toBe('system');
    expect(messages[0].content).toContain('horario: Domingos de 9:00 a. m. a 1:00 p. m.'); // business knowledge
    expect(messages[0].content).toContain('Cliente: Laura Gómez'); // guest profile
    // the conversation so far, the welcome included, ending with the question
    expect(messages.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[2].content, JSON.stringify(messages)).toContain('¡Hola, Laura!');
    expect(messages[messages.length - 1].content).toContain('a que hora abren el domingo?');

    // "typing…" went out for this message before the reply did
    const typing = p.graph.receipts.find((r) => (r.body as { typing_indicator?: unknown; message_id?: string }).typing_indicator && (r.body as { message_id: string }).message_id.includes(to));
    expect(typing).toBeDefined();
    expect(typing!.at).toBeLessThan(sentTo(to)[1].at);

    // both calls recorded, with latency, tokens and the seeded flat price
    await until(async () => (await p.db.sql`SELECT 1 FROM ai_calls WHERE outcome = 'ok'`).length >= 2);
    const calls = await p.db.sql<{ purpose: string; prompt_tokens: number; estimated_cost: string; latency_ms: number }[]>`
      SELECT purpose, prompt_tokens, estimated_cost, latency_ms FROM ai_calls WHERE provider = 'openai' AND outcome = 'ok' ORDER BY id DESC LIMIT 2`;
    expect(calls.map((c) => c.purpose).sort()).toEqual(['intent', 'reply']);
    for (const c of calls) {
      expect(c.prompt_tokens).toBeGreaterThan(0);
      expect(Number(c.estimated_cost)).toBeGreaterThan(0);
      expect(c.latency_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('uses no AI and shows no typing for what keywords settle ("gracias")', async () => {
    const to = phone();
    await say(to, 'muchas gracias');
    expect(await until(() => sentTo(to).length === 1)).toBe(true);
    expect(requestsAbout('muchas gracias')).toHaveLength(0);
    expect(p.graph.receipts.some((r) => (r.body as { typing_indicator?: unknown; message_id?: string }).typing_indicator && String((r.body as { message_id: string }).message_id).includes(to))).toBe(false);
  });

  it('asks no model about a typed pick of the options just offered ("2")', async () => {
    const to = phone();
    await say(to, 'hola');
    expect(await until(() => sentTo(to).length === 1)).toBe(true);
    const before = openai.requests.length;
    await say(to, '2'); // the welcome's second button: "Mi carrito"
    expect(await until(() => sentTo(to).length === 2)).toBe(true);
    expect(textOf(sentTo(to)[1])).toMatch(/carrito/i);
    expect(openai.requests.length).toBe(before);
    expect(await p.db.sql`SELECT 1 FROM events WHERE chat_id = ${to} AND type = 'intent_detected' AND data->>'source' = 'ai'`).toHaveLength(0);
  });

  it('follows the AI intent when it is sure, and the keywords when it is not', async () => {
    openai.reply(classifyAs('human_agent', 0.95));
    const sure = phone();
    await say(sure, 'me atiende alguien de verdad, el robot no me sirve');
    expect(await until(() => sentTo(sure).length === 1)).toBe(true);
    expect(textOf(sentTo(sure)[0])).toContain('le aviso a una persona del equipo');

    openai.reply(classifyAs('human_agent', 0.2)); // unsure: the keyword reading (a product search) stands
    const unsure = phone();
    await say(unsure, 'busco una chaqueta de jean azul');
    expect(await until(() => sentTo(unsure).length === 1)).toBe(true);
    expect(textOf(sentTo(unsure)[0])).not.toContain('le aviso a una persona');
  });

  it('falls back to keywords on a garbage answer, and records it as invalid', async () => {
    // not JSON for the intent, and an empty reply: nothing usable from the model
    openai.reply((body) => (isClassify(body) ? 'lo siento, no puedo responder en JSON' : ' '));
    const to = phone();
    await say(to, 'que opinan del clima de hoy en la ciudad');
    expect(await until(() => sentTo(to).length === 1)).toBe(true);
    // no AI reply text was usable either: the canned answer with the menu
    expect(textOf(sentTo(to)[0])).toContain('No estoy seguro de haber entendido');
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM ai_calls WHERE outcome = 'invalid'`).length > 0)).toBe(true);
  });

  it('holds no transaction or chat lock while the model thinks', async () => {
    openai.delay(300); // below the 400 ms timeout: the call succeeds, slowly
    const to = phone();
    await say(to, 'tienen algo para regalar a mi mama');
    expect(await until(() => openai.requests.some((r) => JSON.stringify(r.body).includes('regalar a mi mama')))).toBe(true);
    const [locks] = await p.db.sql<{ advisory: number; idle: number }[]>`
      SELECT (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database())::int AS advisory,
             (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%')::int AS idle`;
    expect(locks).toEqual({ advisory: 0, idle: 0 });
    expect(await until(() => sentTo(to).length === 1, 10_000)).toBe(true);
  });

  it('counts AI calls and understood intents in Prometheus', async () => {
    const text = await registry.metrics();
    expect(text).toMatch(/wa_ai_calls_total\{provider="openai",purpose="intent",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/wa_ai_calls_total\{provider="openai",purpose="reply",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/wa_intents_total\{intent="unknown",source="ai"\} [1-9]/);
    expect(text).toMatch(/wa_intents_total\{intent="thanks",source="keywords"\} [1-9]/);
    expect(text).toMatch(/wa_ai_call_duration_seconds_count\{provider="openai",purpose="intent"\} [1-9]/);
  });
});

describe('AI outages', () => {
  it('a hanging provider: each call is aborted at its timeout, the breaker opens, later messages skip it at keyword speed, it closes after recovery', async () => {
    openai.hang();
    const before = openai.requests.length;
    // one message at a time, until one is answered without reaching the provider: the breaker opened
    let opened = false;
    for (let i = 0; i < 10 && !opened; i++) {
      const to = phone();
      const tried = openai.requests.length;
      await say(to, 'mi hermano me recomendo este numero');
      expect(await until(() => sentTo(to).length === 1, 10_000)).toBe(true);
      // still answered, with the canned text
      expect(textOf(sentTo(to)[0])).toContain('No estoy seguro de haber entendido');
      opened = openai.requests.length === tried;
    }
    expect(opened).toBe(true);
    expect(openai.requests.length - before).toBeGreaterThanOrEqual(1);
    // the hung requests were closed by the timeout, not left open, and recorded as timeouts
    expect(await until(() => openai.aborted() >= openai.requests.length - before)).toBe(true);
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM ai_calls WHERE outcome = 'timeout'`).length >= 1)).toBe(true);

    // it stays open: the next messages never reach the provider, so they wait for no timeout
    const afterOpen = openai.requests.length;
    const wave = Array.from({ length: 3 }, phone);
    for (const to of wave) await say(to, 'mi hermano me recomendo este numero');
    expect(await until(() => wave.every((to) => sentTo(to).length === 1), 10_000)).toBe(true);
    expect(openai.requests.length).toBe(afterOpen);

    // recovery: after the 1 s reset a trial call goes through and the AI answers again
    openai.recover();
    openai.reply(classifyAs('unknown'));
    await new Promise((r) => setTimeout(r, 1200));
    const later = phone();
    await say(later, 'y aceptan mascotas pequeñas?');
    expect(await until(() => sentTo(later).length === 1, 10_000)).toBe(true);
    expect(textOf(sentTo(later)[0])).toBe(AI_ANSWER);
  });

  it('use_ai_providers = false switches to keywords at run time, without a restart', async () => {
    // the AI answers first (the breaker may still be resetting from the test before)
    expect(await until(async () => {
      const to = phone();
      await say(to, 'y aceptan mascotas pequeñas?');
      return (await until(() => sentTo(to).length === 1)) && textOf(sentTo(to)[0]) === AI_ANSWER;
    }, 10_000, 300)).toBe(true);
    await writeSetting(p.db.sql, 'use_ai_providers', 'false');
    try {
      // the setting is cached for 5 s in each process; wait until a message is answered without the AI
      let to = '';
      const switched = await until(async () => {
        to = phone();
        const before = openai.requests.length;
        await say(to, 'como se llama el perro de la foto');
        await until(() => sentTo(to).length === 1);
        return openai.requests.length === before;
      }, 12_000, 500);
      expect(switched).toBe(true);
      expect(textOf(sentTo(to)[0])).toContain('No estoy seguro de haber entendido');
    } finally {
      await writeSetting(p.db.sql, 'use_ai_providers', 'true');
    }
  });
});
