import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

describe('loadConfig', () => {
  it('gives every documented default for an empty environment', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.WHATSAPP_PROVIDER).toBe('sandbox');
    expect(c.WORKER_STAGES).toEqual(['ingest', 'converse', 'outbound', 'maintenance']);
    expect(c.MESSAGE_BUFFER_MS).toBe(2000);
    // a current Graph API version (v25.0, February 2026, or later; v20.0 expired in September 2026)
    expect(c.META_GRAPH_URL).toBe('https://graph.facebook.com/v26.0');
    expect(Number(/\/v(\d+)\.0$/.exec(c.META_GRAPH_URL!)?.[1])).toBeGreaterThanOrEqual(25);
  });

  it('lists every problem at once, field and cross-field alike', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x', WORKER_STAGES: 'ingest,teleport', WHATSAPP_PROVIDER: 'meta', META_APP_SECRET: 's' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT:/m);
    expect(problems).toMatch(/^REDIS_URL: must be a redis:\/\/ URL/m);
    expect(problems).toMatch(/WORKER_STAGES: unknown stage\(s\) teleport/);
    expect(problems).toMatch(/META_VERIFY_TOKEN: required when WHATSAPP_PROVIDER=meta/);
    expect(problems).toMatch(/META_ACCESS_TOKEN: required/);
    expect(problems).not.toMatch(/META_APP_SECRET/);
  });

  it('gives the media limits their defaults, and refuses a size limit too small to hold a voice note', () => {
    const c = loadConfig({});
    expect([c.MEDIA_MAX_BYTES, c.MEDIA_DOWNLOAD_TIMEOUT_MS, c.MEDIA_AI_TIMEOUT_MS, c.OPENAI_TRANSCRIBE_MODEL]).toEqual([16 * 1024 * 1024, 15_000, 30_000, 'gpt-4o-mini-transcribe']);
    expect(loadConfig({ MEDIA_MAX_BYTES: '5242880', OPENAI_TRANSCRIBE_MODEL: 'whisper-1' })).toMatchObject({ MEDIA_MAX_BYTES: 5242880, OPENAI_TRANSCRIBE_MODEL: 'whisper-1' });
    expect(() => loadConfig({ MEDIA_MAX_BYTES: '10' })).toThrow(/MEDIA_MAX_BYTES/);
  });

  it('refuses a whapi webhook token short enough to guess', () => {
    expect(() => loadConfig({ WHAPI_WEBHOOK_TOKEN: 'abc' })).toThrow(/WHAPI_WEBHOOK_TOKEN: must be at least 8/);
  });

  it('treats blank values as unset and parses booleans and numbers', () => {
    const c = loadConfig({ PORT: '', WORKER_STAGES: ' outbound , converse ', MESSAGE_BUFFER_MS: '0' });
    expect(c.PORT).toBe(3000);
    expect(c.WORKER_STAGES).toEqual(['outbound', 'converse']);
    expect(c.MESSAGE_BUFFER_MS).toBe(0);
  });
});
