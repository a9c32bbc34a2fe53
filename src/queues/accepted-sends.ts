import type { Redis } from 'ioredis';

// Sends the provider accepted whose record PostgreSQL would not take (DESIGN §4 property 12). The outbound
// stage keeps what the provider answered here, by outbox row, before letting the job fail; the next run
// that takes the row (the job's retry, or the recovery sweep's fresh job) finds it and records the send
// instead of sending it again. Keyed by row rather than kept in the job's data, because the run that picks
// the row up again is not always a retry of the same job.

export interface AcceptedSend {
  provider: string;
  providerMessageId: string;
}

export interface AcceptedSends {
  remember: (outboxId: number, sent: AcceptedSend) => Promise<void>;
  recall: (outboxId: number) => Promise<AcceptedSend | undefined>;
  forget: (outboxId: number) => Promise<void>;
}

// far past the age at which a pending reply is expired (STALE_MESSAGE_AGE_MS, a day by default): by then
// the row has been recorded, or nobody will take it again
const KEEP_SECONDS = 7 * 24 * 3600;

export function createAcceptedSends(redis: Redis, prefix: string): AcceptedSends {
  const key = (outboxId: number) => `${prefix}:outbox:accepted:${outboxId}`;
  return {
    remember: async (outboxId, sent) => void (await redis.set(key(outboxId), JSON.stringify(sent), 'EX', KEEP_SECONDS)),
    recall: async (outboxId) => {
      const raw = await redis.get(key(outboxId));
      return raw ? (JSON.parse(raw) as AcceptedSend) : undefined;
    },
    forget: async (outboxId) => void (await redis.del(key(outboxId))),
  };
}
