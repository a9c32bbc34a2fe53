import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaStatus, metaTextMessage } from '../support/meta-payloads.ts';
import { signMeta, startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { WHAPI_HOOK } from '../support/test-runtime.ts';

// Property 5, fuzzed: whatever a sender posts, correctly signed or not, the webhooks answer 200, 400,
// 401 or 413 (never a 5xx with the database up), the process stays healthy, and a refused request
// stores nothing. Runs are kept moderate here; the fault suite is where volume belongs.

let p: Pipeline;
beforeAll(async () => { p = await startPipeline({ workerSets: 0 }); });
afterAll(async () => { await p?.stop(); });

const rows = async () => (await p.db.sql`SELECT count(*)::int AS n FROM inbound_messages`)[0].n as number;

// valid envelopes, then mutated: values swapped for arbitrary JSON at random paths
const validMeta = fc.record({
  from: fc.stringMatching(/^57\d{10}$/),
  id: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `wamid.fz.${s}`),
  body: fc.string({ maxLength: 200 }),
  name: fc.string({ maxLength: 40 }),
}).map((m) => metaEnvelope([metaTextMessage(m)], { statuses: [metaStatus({ id: `wamid.out.${m.id}`, status: 'delivered', recipient: m.from })] }) as unknown);

function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (!path.length || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (!keys.length) return replacement;
  const key = keys[path[0] % keys.length];
  const copy: Record<string, unknown> = Array.isArray(value) ? [...value] as unknown as Record<string, unknown> : { ...(value as object) };
  copy[key] = mutate((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}
const mutatedMeta = fc.tuple(validMeta, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.jsonValue()).map(([v, path, r]) => mutate(v, path, r));
const anyBody = fc.oneof(fc.jsonValue(), mutatedMeta, validMeta).map((v) => JSON.stringify(v) ?? 'null');

// any token a URL path segment can carry: '.' and '..' cannot be one (they are dot segments, resolved away
// by every HTTP client and by the URL parser, percent-encoded or not, so such a request reaches another route)
const wrongToken = fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t !== '.' && t !== '..');

describe('webhook fuzzing', () => {
  it('answers every signed Meta body with 200 or 400, never crashing', async () => {
    await fc.assert(fc.asyncProperty(anyBody, async (raw) => {
      const res = await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw) });
      expect([200, 400]).toContain(res.status);
    }), { numRuns: 400 });
    expect((await p.app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('stores nothing from bodies with a wrong signature or truncated JSON', async () => {
    const before = await rows();
    await fc.assert(fc.asyncProperty(validMeta, fc.nat(), async (body, cut) => {
      const raw = JSON.stringify(body);
      expect((await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw, 'not-the-secret') })).status).toBe(401);
      const truncated = raw.slice(0, cut % raw.length);
      expect((await p.postRaw('/webhooks/meta', truncated, { 'x-hub-signature-256': signMeta(truncated) })).status).toBe(400);
    }), { numRuns: 200 });
    expect(await rows()).toBe(before);
  });

  it('answers every Whapi body with 200 or 400 under the right token, and 401 under a wrong one', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), fc.string()), wrongToken, async (raw, token) => {
      expect([200, 400]).toContain((await p.postRaw(`/webhooks/whapi/${WHAPI_HOOK}`, raw)).status);
      if (token !== WHAPI_HOOK) expect((await p.postRaw(`/webhooks/whapi/${encodeURIComponent(token)}`, raw)).status).toBe(401);
    }), {
      numRuns: 300,
      // seed -1894600944 once drew the token '..' (404: see wrongToken); dots that do make a segment are tried first
      examples: [['{}', '...'], ['""', '.x'], ['{}', '%2e']],
      ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
    });
    expect((await p.app.inject({ url: '/ready' })).statusCode).toBe(200);
  });
});
