import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// One registry per process. Everything that counts something registers here; GET /metrics serves it.
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const sessionCacheRequests = new Counter({
  name: 'wa_session_cache_requests_total',
  help: 'Session reads by where they were answered from (hit = Redis, miss = PostgreSQL, new = no session yet, bypass = cache switched off)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const webhookRequests = new Counter({
  name: 'wa_webhook_requests_total',
  help: 'Webhook deliveries by provider and HTTP status',
  labelNames: ['provider', 'status'] as const,
  registers: [registry],
});

export const inboundMessages = new Counter({
  name: 'wa_inbound_messages_total',
  help: 'Customer messages stored (new) or recognised as duplicate deliveries',
  labelNames: ['provider', 'result'] as const,
  registers: [registry],
});

export const stageJobs = new Counter({
  name: 'wa_stage_jobs_total',
  help: 'Stage handler runs by stage and outcome',
  labelNames: ['stage', 'outcome'] as const,
  registers: [registry],
});

export const stageDuration = new Histogram({
  name: 'wa_stage_duration_seconds',
  help: 'Stage handler run time',
  labelNames: ['stage'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const rateLimitedMessages = new Counter({
  name: 'wa_rate_limited_messages_total',
  help: 'Customer messages over their rate limit (logged, not answered)',
  labelNames: ['window'] as const,
  registers: [registry],
});

export const aiCalls = new Counter({
  name: 'wa_ai_calls_total',
  help: 'AI provider calls by provider, purpose (intent, reply, transcription, vision) and outcome (ok, timeout, error, invalid, breaker_open)',
  labelNames: ['provider', 'purpose', 'outcome'] as const,
  registers: [registry],
});

export const aiCallDuration = new Histogram({
  name: 'wa_ai_call_duration_seconds',
  help: 'AI provider call time, skipped calls (breaker open) excluded',
  labelNames: ['provider', 'purpose'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
  registers: [registry],
});

export const intentsDetected = new Counter({
  name: 'wa_intents_total',
  help: 'Bursts understood, by intent and by who understood them (ai, keywords, button)',
  labelNames: ['intent', 'source'] as const,
  registers: [registry],
});

export const endToEndLatency = new Histogram({
  name: 'wa_e2e_latency_seconds',
  help: "Customer message committed at the webhook → the provider accepted our first reply to it",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const repliesSent = new Counter({
  name: 'wa_replies_total',
  help: 'Replies by outcome: sent (the provider accepted), refused (the provider said no for good), expired (too old to send)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const repliesUndelivered = new Counter({
  name: 'wa_replies_undelivered_total',
  help: "Replies that did not reach the customer, by provider and the provider's code: refused at send, reported failed after it, or expired unsent (provider none, code expired)",
  labelNames: ['provider', 'code'] as const,
  registers: [registry],
});

export const replyIdConflicts = new Counter({
  name: 'wa_reply_id_conflicts_total',
  help: 'Sends the provider accepted with a message id already recorded for another reply (recorded as sent, kept for an operator)',
  labelNames: ['provider'] as const,
  registers: [registry],
});

export const whatsappMessagesBilled = new Counter({
  name: 'wa_whatsapp_messages_total',
  help: "Messages we sent, by the category Meta bills them under and whether they are billable (from status webhooks' pricing, once per message)",
  labelNames: ['category', 'billable'] as const,
  registers: [registry],
});

export const whatsappCost = new Counter({
  name: 'wa_whatsapp_estimated_cost_usd_total',
  help: 'Estimated WhatsApp charges in US$: billable messages once delivered, at the price table (whatsapp_prices) for their category and country',
  labelNames: ['category'] as const,
  registers: [registry],
});

export const whatsappUnpriced = new Counter({
  name: 'wa_whatsapp_unpriced_messages_total',
  help: 'Billable messages delivered with no price in whatsapp_prices for their category and country (npm run prices sets them)',
  labelNames: ['category'] as const,
  registers: [registry],
});
