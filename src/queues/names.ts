/** The queues of the pipeline, in the order a message travels them, plus the housekeeping queue. */
export const QUEUE_NAMES = {
  ingest: 'ingest',
  converse: 'converse',
  outbound: 'outbound',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Job id the sweeper can find again. BullMQ forbids ':' in custom ids, hence the dash. */
export const ingestJobId = (inboundId: number) => `in-${inboundId}`;
