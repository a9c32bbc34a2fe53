import { enqueueConverse, enqueueOutbound } from '../queues/enqueue.ts';
import { ensureJob } from '../queues/ensure-job.ts';
import { chatsWithLiveJob, headOfLineWaitMs, ingestJobsLive } from '../queues/live-jobs.ts';
import { ingestJobId } from '../queues/names.ts';
import type { PipelineQueues } from '../queues/queues.ts';
import type { SweepDeps } from '../../workers/maintenance.ts';

/** The recovery sweep's view of the queues: what is live there, and how it puts lost work back. */
export function sweepQueues(queues: PipelineQueues): Pick<SweepDeps, 'ensureIngest' | 'scheduleConverse' | 'scheduleOutbound' | 'live'> {
  return {
    ensureIngest: (id) => ensureJob(queues.ingest, ingestJobId(id), 'ingest', { inboundId: id }),
    scheduleConverse: (chatId) => enqueueConverse(queues, chatId),
    scheduleOutbound: (chatId) => enqueueOutbound(queues, chatId),
    live: {
      ingest: { has: (ids) => ingestJobsLive(queues.ingest, ids), headWaitMs: () => headOfLineWaitMs(queues.ingest) },
      converse: { has: (chatIds) => chatsWithLiveJob(queues.converse, chatIds), headWaitMs: () => headOfLineWaitMs(queues.converse) },
      outbound: { has: (chatIds) => chatsWithLiveJob(queues.outbound, chatIds), headWaitMs: () => headOfLineWaitMs(queues.outbound) },
    },
  };
}
