import { accessSync, constants, statSync } from 'node:fs';
import { z } from 'zod';
import { FAULT_SPEC } from '../lib/fault-points.ts';
import { GRAPH_API_URL } from '../whatsapp/meta/graph-version.ts';

// Every setting the service reads, with its default. Parsed once at start-up by ./load.ts;
// nothing else in the code base reads process.env.

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().optional());
const int = (def: number, min = 0) => z.preprocess(blankToUndefined, z.coerce.number().int().min(min).default(def));
const url = (def?: string) =>
  def === undefined ? z.preprocess(blankToUndefined, z.url().optional()) : z.preprocess(blankToUndefined, z.url().default(def));

export const STAGES = ['ingest', 'converse', 'outbound', 'maintenance'] as const;
export type Stage = (typeof STAGES)[number];

export const envSchema = z
  .object({
    NODE_ENV: z.preprocess(blankToUndefined, z.enum(['development', 'production', 'test']).default('development')),
    PORT: int(3000, 0),
    HOST: z.preprocess(blankToUndefined, z.string().default('0.0.0.0')),
    LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    DATABASE_URL: z.preprocess(blankToUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').default('postgres://postgres@127.0.0.1:5432/postgres')),
    DATABASE_POOL_SIZE: int(10, 1),
    REDIS_URL: z.preprocess(blankToUndefined, z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379')),
    QUEUE_PREFIX: z.preprocess(blankToUndefined, z.string().regex(/^[\w{}:.-]+$/, 'letters, digits, _ - . : { } only').default('wa')),
    WORKER_STAGES: z.preprocess(blankToUndefined, z.string().default(STAGES.join(',')))
      .transform((s, ctx) => {
        const wanted = s.split(',').map((x) => x.trim()).filter(Boolean);
        const unknown = wanted.filter((x) => !(STAGES as readonly string[]).includes(x));
        if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown stage(s) ${unknown.join(', ')}; known: ${STAGES.join(', ')}` });
        return wanted as Stage[];
      }),

    WHATSAPP_PROVIDER: z.preprocess(blankToUndefined, z.enum(['meta', 'whapi', 'sandbox']).default('sandbox')),
    META_APP_SECRET: optionalText,
    META_VERIFY_TOKEN: optionalText,
    META_ACCESS_TOKEN: optionalText,
    META_PHONE_NUMBER_ID: optionalText,
    META_GRAPH_URL: url(GRAPH_API_URL),
    WHAPI_TOKEN: optionalText,
    WHAPI_API_URL: url('https://gate.whapi.cloud'),
    WHAPI_WEBHOOK_TOKEN: optionalText,
    /** Messages per second the WhatsApp number may send (Meta: 80 by default, up to 1,000). */
    OUTBOUND_RATE_PER_SECOND: int(80, 1),
    PROVIDER_TIMEOUT_MS: int(10_000, 100),
    /**
     * After the provider accepted a reply, how long one outbound run retries recording it before handing
     * the record to the next run (never a second send). Cut at run time to what the send left of the reply's lease.
     */
    OUTBOUND_RECORD_RETRY_MS: int(10_000, 0),

    ADMIN_TOKEN: optionalText,
    /** An operator's session ends after this many hours without use (and 7 days after sign-in at most). */
    ADMIN_SESSION_HOURS: int(12, 1),
    /** Where people reach this service (https://bot.example.com): the start-up summary prints links under it. */
    PUBLIC_URL: url(),
    /** Serve GET /metrics without credentials (a Prometheus on a private network); otherwise it needs ADMIN_TOKEN. */
    METRICS_PUBLIC: z.preprocess(blankToUndefined, z.enum(['true', 'false', '1', '0']).default('false')).transform((v) => v === 'true' || v === '1'),
    /** Raw rows of the events table are kept this long; the per-minute roll-ups (metric_minutes) far longer. */
    EVENTS_RETENTION_DAYS: int(14, 1),
    METRIC_MINUTES_RETENTION_DAYS: int(400, 1),

    // Human handoff: a customer who asks for a person (or whom the bot keeps misunderstanding) gets one.
    /** The bot stays quiet in a handed-off chat until an operator resumes it, or this long has passed. */
    HANDOFF_AUTO_RESUME_MS: int(4 * 3600 * 1000, 1000),
    /** This many misunderstood bursts in a row (no AI reply either) hand the chat over; 0 turns it off. */
    HANDOFF_AFTER_MISUNDERSTOOD: int(3, 0),
    /** POSTed a JSON notice of every new handoff (Slack/Teams/Zapier/n8n webhook, or your own). */
    HANDOFF_WEBHOOK_URL: url(),
    /** A WhatsApp number (digits, with country code) told of every new handoff. */
    HANDOFF_OPERATOR_PHONE: z.preprocess(blankToUndefined, z.string().regex(/^\d{8,15}$/, 'digits only, with the country code').optional()),

    // Payment links (checkout's "pago en línea"); none: cash on delivery and bank transfer only.
    PAYMENT_PROVIDER: z.preprocess(blankToUndefined, z.enum(['none', 'wompi']).default('none')),
    PAYMENT_API_URL: url('https://production.wompi.co/v1'),
    PAYMENT_PRIVATE_KEY: optionalText,
    PAYMENT_EVENTS_SECRET: optionalText,
    PAYMENT_CHECKOUT_URL: url('https://checkout.wompi.co/l/'),
    PAYMENT_CURRENCY: z.preprocess(blankToUndefined, z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as COP').default('COP')),
    /** Shown to customers who choose bank transfer (bank, account, holder); unset: transfers are not offered. */
    BANK_TRANSFER_DETAILS: optionalText,
    /** Whether the shop takes cash on delivery (offered at checkout and named when customers ask how to pay). */
    CASH_ON_DELIVERY: z.preprocess(blankToUndefined, z.enum(['true', 'false', '1', '0']).default('true')).transform((v) => v === 'true' || v === '1'),

    // AI providers: none set means keyword mode (the assistant still answers everything).
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: url(),
    OPENAI_MODEL: z.preprocess(blankToUndefined, z.string().default('gpt-4o-mini')),
    DEEPSEEK_API_KEY: optionalText,
    DEEPSEEK_BASE_URL: url('https://api.deepseek.com'),
    DEEPSEEK_MODEL: z.preprocess(blankToUndefined, z.string().default('deepseek-chat')),
    GEMINI_API_KEY: optionalText,
    GEMINI_BASE_URL: url(),
    GEMINI_MODEL: z.preprocess(blankToUndefined, z.string().default('gemini-2.0-flash')),

    // Voice notes and pictures: fetched from the provider into memory (never to disk or the database),
    // transcribed (OpenAI) or described (a vision model), then dropped. A voice note of a few minutes is
    // well under a MiB; 16 MiB is WhatsApp's own audio limit, and anything past it is refused unread.
    MEDIA_MAX_BYTES: int(16 * 1024 * 1024, 1024),
    MEDIA_DOWNLOAD_TIMEOUT_MS: int(15_000, 100),
    OPENAI_TRANSCRIBE_MODEL: z.preprocess(blankToUndefined, z.string().default('gpt-4o-mini-transcribe')),
    /** Transcription and vision take seconds, not the intent call's fraction of one: their own timeout (and breakers). */
    MEDIA_AI_TIMEOUT_MS: int(30_000, 100),
    /** A text file of the business's facts (hours, address, policies, FAQ) for AI replies; see data/business-knowledge.example.md. */
    BUSINESS_KNOWLEDGE_FILE: optionalText,

    /** Burst window: messages of one chat this close together are answered as one. */
    MESSAGE_BUFFER_MS: int(2000),
    /** While the customer is typing (Whapi presence) the window stretches to this. */
    TYPING_BUFFER_MS: int(5000),
    /** Inbound messages older than this are marked stale and not answered automatically. */
    STALE_MESSAGE_AGE_MS: int(24 * 3600 * 1000, 1000),
    /** How often the recovery sweep runs, and how long a row may wait before the sweep re-enqueues it. */
    SWEEP_INTERVAL_MS: int(10_000, 500),
    SWEEP_GRACE_MS: int(15_000, 0),
    /** How often inactive guests are moved to historical_clients (daily by default). */
    ARCHIVE_EVERY_MS: int(24 * 3600 * 1000, 60_000),
    INGEST_CONCURRENCY: int(16, 1),
    CONVERSE_CONCURRENCY: int(16, 1),
    // few sends in flight: each is a reply whose fate is unknown if the process dies mid-call (WhatsApp has no
    // idempotency key), and 4 × a send's few ms is far above the number's 80 msg/s anyway
    OUTBOUND_CONCURRENCY: int(4, 1),
    SHUTDOWN_TIMEOUT_MS: int(15_000, 100),
    /** A worker's lock on a job; a job whose worker died is retried after at most this long (BullMQ stall check). */
    JOB_LOCK_MS: int(30_000, 1000),
    /** A queue with jobs waiting this long and no job started or finished in as long is stalled: /ready fails, the worker recreates its worker. */
    QUEUE_STALL_MS: int(60_000, 1000),
    /** A webhook intake or an ingest, converse or outbound job still unsettled after this long means the database client is wedged: the process exits for its supervisor to restart (src/roles/wedge-watchdog.ts). */
    WORK_DEADLINE_MS: int(120_000, 1000),
    WEBHOOK_BODY_LIMIT_BYTES: int(3 * 1024 * 1024, 1024),
    /** Fault tests only: kill -9 this process at a crash point (src/lib/fault-points.ts), e.g. `converse:before-commit` or `outbound:after-accept#3`. */
    FAULT_INJECT: z.preprocess(blankToUndefined, z.string().regex(FAULT_SPEC, 'converse:before-commit or outbound:after-accept, optionally #n').optional()),
  });

/**
 * Rules that tie settings together. Checked on the raw environment so that they are reported
 * alongside per-field problems instead of only after those are fixed.
 */
export function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const has = (k: string) => Boolean(env[k]?.trim());
  const need = (keys: string[], why: string) => {
    for (const k of keys) if (!has(k)) problems.push(`${k}: required ${why}`);
  };
  const provider = env.WHATSAPP_PROVIDER?.trim() || 'sandbox';
  if (provider === 'meta') need(['META_APP_SECRET', 'META_VERIFY_TOKEN', 'META_ACCESS_TOKEN', 'META_PHONE_NUMBER_ID'], 'when WHATSAPP_PROVIDER=meta');
  if (provider === 'whapi') need(['WHAPI_TOKEN', 'WHAPI_WEBHOOK_TOKEN'], 'when WHATSAPP_PROVIDER=whapi');
  if (env.PAYMENT_PROVIDER?.trim() === 'wompi') need(['PAYMENT_PRIVATE_KEY', 'PAYMENT_EVENTS_SECRET'], 'when PAYMENT_PROVIDER=wompi');
  const hook = env.WHAPI_WEBHOOK_TOKEN?.trim();
  if (hook && hook.length < 8) problems.push('WHAPI_WEBHOOK_TOKEN: must be at least 8 characters: it is the only thing guarding the webhook');
  const knowledge = env.BUSINESS_KNOWLEDGE_FILE?.trim();
  if (knowledge && !readableFile(knowledge)) problems.push(`BUSINESS_KNOWLEDGE_FILE: ${knowledge} is not a readable file`);
  return problems;
}

function readableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export type Config = z.output<typeof envSchema>;
