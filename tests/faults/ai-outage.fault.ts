import { afterAll, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { startFakeGemini } from '../support/fake-gemini.ts';
import { startFakeOpenAi } from '../support/fake-openai.ts';
import { metaTextMessage } from '../support/meta-payloads.ts';
import type { ServiceProcess } from '../support/spawn-service.ts';
import { until } from '../support/test-runtime.ts';
import { faultWorld, logLines, percentile, postMeta, recovery, secs, sentByChat, sleep, startAll, stop, tally, textOf, wallClock } from './harness.ts';
import { startPrivateRedis } from './private-redis.ts';
import { renderReliability, reportFault } from './report.ts';

// DESIGN §4.7 with a real process: every AI provider (Gemini, DeepSeek, OpenAI, each a fake on loopback)
// accepts the connection and never answers. Every message is still answered, once, by the keyword path;
// the breakers open, so latency falls back to keyword speed; once the providers answer again the breakers
// close and the AI writes replies again.

afterAll(() => renderReliability());

/** Shortened limits (the migration's defaults: 3–5 s per call, 300 s open), said so in the report. */
const TIMEOUT_MS = 1000;
const RESET_S = 5;
const COUNT = Number(process.env.FAULT_AI_BURST ?? 300);
const RATE = 20; // messages a second, each from a new chat
// free-form questions the keywords do not settle (a product search, or "unknown"): all go to the AI first
const QUESTIONS = ['tienen camisas rojas en talla M?', 'hacen envios a Cali?', 'cuanto se demora un pedido a Bogota', 'me recomiendan algo para regalar a mi mama'];
const AI_ANSWER = 'Respuesta escrita por la IA de prueba: con gusto te ayudo 🙂';
const BREAKER_LOG = 'AI provider breaker changed state';
const PROVIDERS = ['gemini', 'deepseek', 'openai'];

/** What a provider that answers again says: "unknown" with confidence (so the AI writes the reply), then the reply. */
const answering = (body: Record<string, unknown>) =>
  JSON.stringify(body).includes('Clasificas') ? JSON.stringify({ intent: 'unknown', entities: {}, confidence: 0.9 }) : AI_ANSWER;

it('AI providers hanging: every message answered once by the keyword path, breakers open to keyword speed, AI back after recovery', async () => {
  const redis = await startPrivateRedis();
  const world = await faultWorld(redis.url);
  const [openai, deepseek, gemini] = await Promise.all([startFakeOpenAi(), startFakeOpenAi(), startFakeGemini()]);
  const fakes = [openai, deepseek, gemini];
  let svc: ServiceProcess | undefined;
  let trickling = false;
  try {
    const env = world.env({
      LOG_LEVEL: 'warn', // the breakers' state changes are logged at warn: they time the phases below
      OPENAI_API_KEY: 'sk-fault-openai', OPENAI_BASE_URL: openai.url,
      DEEPSEEK_API_KEY: 'sk-fault-deepseek', DEEPSEEK_BASE_URL: deepseek.origin,
      GEMINI_API_KEY: 'fault-gemini-key', GEMINI_BASE_URL: gemini.url,
    });
    // Migrate first and shorten the limits before the service starts: the router reads ai_provider_config at
    // its first call and then every 30 s, so an UPDATE made later would wait for that refresh.
    const sql = createDb({ url: env.DATABASE_URL, max: 1 });
    try {
      await migrate(sql);
      await sql`UPDATE ai_provider_config SET timeout_ms = ${TIMEOUT_MS}, circuit_breaker_timeout = ${RESET_S}`;
    } finally {
      await sql.end();
    }
    for (const f of fakes) f.hang();
    svc = await startAll(env);
    const port = svc.port;

    // the burst: one question from each of COUNT new chats, while every provider hangs
    const postedAt = new Map<string, number>();
    const acked = new Set<string>();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < COUNT; i++) {
      const from = `573201${String(i).padStart(6, '0')}`;
      postedAt.set(from, Date.now());
      const message = metaTextMessage({ from, id: `wamid.ai.${i}`, body: QUESTIONS[i % QUESTIONS.length], name: 'Cliente Prueba' });
      sends.push(postMeta(port, [message]).then((status) => void (status === 200 && acked.add(from))));
      await sleep(1000 / RATE);
    }
    await Promise.all(sends);
    await recovery(world.graph, acked, Date.now(), 60_000);
    await sleep(1000);
    const duringOutage = tally(world.graph, acked);
    const hungRequests = fakes.reduce((n, f) => n + f.requests.length, 0);

    // when each breaker first opened, from the service's own log
    const transitions = logLines(svc, BREAKER_LOG).map((l) => ({ provider: String(l.provider), state: String(l.state), at: l.time }));
    const firstOpen = new Map<string, number>();
    for (const t of transitions) if (t.state === 'open' && !firstOpen.has(t.provider)) firstOpen.set(t.provider, t.at);
    expect([...firstOpen.keys()].sort(), JSON.stringify(transitions)).toEqual([...PROVIDERS].sort());
    const anyOpen = Math.min(...firstOpen.values());
    const allOpen = Math.max(...firstOpen.values());

    // Latency of each chat's reply, by when its message was posted: before any breaker opened ("closed"), or
    // once every breaker was open and the jobs queued behind the hung calls were answered ("open").
    const byChat = sentByChat(world.graph);
    const replyAt = (from: string) => { const r = byChat.get(from)?.[0]; return r && wallClock(r); };
    for (const from of acked) {
      const reply = byChat.get(from)?.[0];
      if (reply) expect(textOf(reply)).not.toBe(AI_ANSWER); // no provider ever answered: these are the keyword path's
    }
    const backlogDone = Math.max(...[...acked].filter((f) => postedAt.get(f)! <= allOpen).map((f) => replyAt(f) ?? Infinity));
    const latency = (which: (posted: number) => boolean) =>
      [...acked].filter((f) => which(postedAt.get(f)!) && replyAt(f) !== undefined).map((f) => replyAt(f)! - postedAt.get(f)!);
    const closedMs = latency((at) => at < anyOpen);
    const openMs = latency((at) => at > backlogDone);

    // Recovery under a steady trickle of questions: the providers answer again at a moment when every breaker
    // is open (each re-opens after a failed trial), and we time the first reply the AI wrote.
    const lastState = () => {
      const last = new Map<string, string>();
      for (const l of logLines(svc!, BREAKER_LOG)) last.set(String(l.provider), String(l.state));
      return last;
    };
    const later = new Set<string>();
    const laterSends: Promise<void>[] = [];
    trickling = true;
    const trickle = (async () => {
      for (let i = 0; trickling; i++) {
        const from = `573202${String(i).padStart(6, '0')}`;
        const message = metaTextMessage({ from, id: `wamid.ai.later.${i}`, body: QUESTIONS[1 + (i % 3)], name: 'Cliente Prueba' });
        laterSends.push(postMeta(port, [message]).then((status) => void (status === 200 && later.add(from))));
        await sleep(250);
      }
    })();
    expect(await until(() => PROVIDERS.every((p) => lastState().get(p) === 'open'), 20_000, 20)).toBe(true);
    for (const f of fakes) {
      f.reply(answering);
      f.recover();
    }
    const back = Date.now();
    const aiReplied = () => world.graph.sent.find((s) => textOf(s) === AI_ANSWER);
    await until(() => aiReplied() !== undefined, 45_000, 20);
    trickling = false;
    await trickle;
    await Promise.all(laterSends);
    const firstAi = aiReplied();
    const recoverySeconds = firstAi ? secs(wallClock(firstAi) - back) : undefined;
    const all = new Set([...acked, ...later]);
    await recovery(world.graph, all, Date.now(), 30_000);
    await sleep(2000);
    const t = tally(world.graph, all);
    const closedAgain = await until(() => lastState().get(PROVIDERS[0]) === 'closed', 5000, 100);

    const p = (xs: number[], q: number) => secs(percentile(xs, q));
    reportFault({
      scenario: 'AI providers hanging (Gemini, DeepSeek, OpenAI)',
      property: '7',
      ...t,
      recoverySeconds,
      notes: `${COUNT} questions at ${RATE}/s, every provider hanging (timeout ${TIMEOUT_MS} ms, breaker open ${RESET_S} s): ` +
        `reply latency before the breakers opened p50 ${p(closedMs, 50)} s / p95 ${p(closedMs, 95)} s (n=${closedMs.length}), ` +
        `once all were open and the ${secs(backlogDone - allOpen)} s backlog answered p50 ${p(openMs, 50)} s / p95 ${p(openMs, 95)} s (n=${openMs.length}); ` +
        `${hungRequests} provider calls in all, each aborted at its timeout; recovery = providers answering (every breaker open) → first AI-written reply, ` +
        `under a trickle of 4 questions/s (${later.size} more acknowledged)`,
    });
    expect(duringOutage.lost).toBe(0);
    expect(duringOutage.acknowledged).toBe(COUNT);
    expect(t.lost).toBe(0);
    expect(t.duplicated).toBe(0);
    expect(closedMs.length).toBeGreaterThan(0);
    expect(openMs.length).toBeGreaterThan(COUNT / 4);
    // open breakers: the keyword path's own speed, well below one provider timeout (three in a row before)
    expect(percentile(openMs, 95)).toBeLessThan(TIMEOUT_MS / 2);
    expect(percentile(closedMs, 50)).toBeGreaterThanOrEqual(TIMEOUT_MS);
    // the hung calls were cut at the timeout, not left open
    expect(await until(() => fakes.reduce((n, f) => n + f.aborted(), 0) >= hungRequests, 5000)).toBe(true);
    expect(recoverySeconds).toBeDefined();
    expect(recoverySeconds!).toBeLessThanOrEqual(30);
    expect(recoverySeconds!).toBeLessThanOrEqual(RESET_S + 3); // the next trial after the breaker's open period
    expect(closedAgain).toBe(true);
  } finally {
    trickling = false;
    await stop(svc);
    await Promise.all(fakes.map((f) => f.close()));
    await world.drop();
    await redis.stop();
  }
});
