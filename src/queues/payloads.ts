import { z } from 'zod';
import { CHAT_KEY } from '../whatsapp/customer-ids.ts';

// The shape of every job, checked at the stage boundary: a malformed payload fails at once with
// its reason instead of looping through retries.

export const ingestPayload = z.object({ inboundId: z.number().int().positive() });
export type IngestPayload = z.infer<typeof ingestPayload>;

// a customer's chat key: their number, or the business-scoped id or linked id they were first seen by
const chatKey = z.string().regex(CHAT_KEY, 'a chat key: a WhatsApp number (digits only), a business-scoped user id or a linked id');

export const conversePayload = z.object({ chatId: chatKey });
export type ConversePayload = z.infer<typeof conversePayload>;

// send the chat's pending replies, oldest first, one per run (so the rate limiter counts messages)
export const outboundPayload = z.object({ kind: z.literal('send'), chatId: chatKey });
export type OutboundPayload = z.infer<typeof outboundPayload>;

export const maintenancePayload = z.object({ task: z.enum(['sweep', 'archive-guests', 'refresh-catalogue', 'rollup-metrics', 'prune-metrics', 'resume-handoffs']) });
export type MaintenancePayload = z.infer<typeof maintenancePayload>;
