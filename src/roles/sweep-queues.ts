import { enqueueConverse, enqueueOutbound } from '../queues/enqueue.ts';
import { ensureJob } from '../queues/ensure-job.ts';
import { chatsWithLiveJob, ingestJobsLive } from '../queues/live-jobs.ts';
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
      ingest: (ids) => ingestJobsLive(queues.ingest, ids),
      converse: (chatIds) => chatsWithLiveJob(queues.converse, chatIds),
      outbound: (chatIds) => chatsWithLiveJob(queues.outbound, chatIds),
    },
  };
}
