import { z } from 'zod';

// The shape of every job, checked at the stage boundary: a malformed payload fails at once with
// its reason instead of looping through retries.

export const ingestPayload = z.object({ inboundId: z.number().int().positive() });
export type IngestPayload = z.infer<typeof ingestPayload>;

export const conversePayload = z.object({ chatId: z.string().regex(/^\d{5,20}$/, 'a WhatsApp number, digits only') });
export type ConversePayload = z.infer<typeof conversePayload>;

// send the chat's pending replies, oldest first, one per run (so the rate limiter counts messages)
export const outboundPayload = z.object({ kind: z.literal('send'), chatId: z.string().regex(/^\d{5,20}$/, 'a WhatsApp number, digits only') });
export type OutboundPayload = z.infer<typeof outboundPayload>;

export const maintenancePayload = z.object({ task: z.enum(['sweep', 'archive-guests', 'refresh-catalogue', 'rollup-metrics', 'prune-metrics', 'resume-handoffs']) });
export type MaintenancePayload = z.infer<typeof maintenancePayload>;
