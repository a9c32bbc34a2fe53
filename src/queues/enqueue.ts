import type { PipelineQueues } from './queues.ts';
import { ingestJobId } from './names.ts';

// Producers call these, never queue.add directly, so job ids and de-duplication stay in one place.

export async function enqueueIngest(queues: PipelineQueues, inboundIds: number[]): Promise<void> {
  if (!inboundIds.length) return;
  // a delivery almost always holds one message: a plain add is one script call, addBulk wraps it in MULTI/EXEC
  if (inboundIds.length === 1) {
    await queues.ingest.add('ingest', { inboundId: inboundIds[0] }, { jobId: ingestJobId(inboundIds[0]) });
    return;
  }
  await queues.ingest.addBulk(inboundIds.map((inboundId) => ({ name: 'ingest', data: { inboundId }, opts: { jobId: ingestJobId(inboundId) } })));
}

/**
 * "Drain chat X". BullMQ keeps at most one active and one waiting job per de-duplication id, so a chat
 * never runs twice at once and a message arriving mid-run schedules exactly one follow-up.
 */
export async function enqueueConverse(queues: PipelineQueues, chatId: string): Promise<void> {
  await queues.converse.add('drain', { chatId }, { deduplication: { id: chatId, keepLastIfActive: true } });
}

/** "Send chat X's pending replies", de-duplicated like converse so one chat's replies leave in order. */
export async function enqueueOutbound(queues: PipelineQueues, chatId: string): Promise<void> {
  await queues.outbound.add('send', { kind: 'send', chatId }, { deduplication: { id: chatId, keepLastIfActive: true } });
}
