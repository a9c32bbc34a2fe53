import { afterAll, describe, expect, it } from 'vitest';
import { reportFault, renderReliability } from './report.ts';
import { burst, faultWorld, recovery, startAll, startWorker, stop, tally, wallClock } from './harness.ts';
import { startPrivateRedis } from './private-redis.ts';
import { startCuttableProxy } from './tcp-proxy.ts';
import type { ServiceProcess } from '../support/spawn-service.ts';
import { createDb } from '../../src/db/client.ts';

// The worker's database connections stop answering while staying open (what postgres.js leaves behind in
// its rare remaining hang, and what a dead NAT path does): no query fails, so no retry would ever start.
// The wedge watchdog (src/roles/wedge-watchdog.ts) must see the unsettled jobs and exit the process; the
// supervisor (here the test) starts a fresh one, and every acknowledged message is answered once.

afterAll(() => renderReliability());

const N = Number(process.env.FAULT_BURST ?? 300);
const RATE = 150;
const DEADLINE_MS = 3000;
// PostgreSQL never hears that the frozen connections' process died (the path between them is what froze):
// their open transactions, and the chat locks they hold, end at idle_in_transaction_session_timeout (30 s,
// src/db/client.ts). Recovery is bounded by that, plus the stall check and a retry: 45 s.
const RECOVERY_BOUND_S = 45;

describe('a wedged database client', () => {
  it('the worker exits when its jobs stop settling, and after a restart nothing acknowledged is lost', async () => {
    const redis = await startPrivateRedis();
    const proxy = await startCuttableProxy(5432);
    const world = await faultWorld(redis.url);
    // only the worker reaches PostgreSQL through the proxy; the webhook keeps acknowledging meanwhile
    const workerEnv = () => world.env({
      WORKER_STAGES: 'ingest,converse,outbound',
      DATABASE_URL: world.env().DATABASE_URL.replace(':5432/', `:${proxy.port}/`),
      WORK_DEADLINE_MS: String(DEADLINE_MS),
      LOG_LEVEL: 'fatal',
    });
    const web = await startAll(world.env({ WORKER_STAGES: 'maintenance' }));
    let worker: ServiceProcess = await startWorker(workerEnv());
    const wedged = worker;
    let exitCode: number | null = null;
    let frozenAt = 0;
    let back = 0;
    try {
      const b = await burst('3107', N, RATE, () => web.port, async () => {
        proxy.freezeOpen();
        frozenAt = Date.now();
        exitCode = await wedged.exited; // no signal from us: the watchdog must end it
        worker = await startWorker(workerEnv()); // what pm2 or the platform does
        back = Date.now();
      });
      const seconds = await recovery(world.graph, b.acked, back);
      await new Promise((r) => setTimeout(r, 2000));
      const t = tally(world.graph, b.acked);
      const fatal = wedged.output().includes('the database client is wedged');
      const exitedAfter = Math.round((back - frozenAt) / 100) / 10;
      reportFault({
        scenario: 'worker database connections frozen open mid-burst', property: '1, 2', ...t, recoverySeconds: seconds, recoveryTargetSeconds: RECOVERY_BOUND_S,
        notes: `WORK_DEADLINE_MS=${DEADLINE_MS}: the wedge watchdog ended the worker with exit code ${exitCode} after ${exitedAfter} s (restart included); the frozen connections' transactions (and chat locks) end at PostgreSQL's idle_in_transaction_session_timeout of 30 s, so recovery is held to ${RECOVERY_BOUND_S} s; webhook answers: ${JSON.stringify(Object.fromEntries(b.statuses))}`,
      });
      if (seconds > RECOVERY_BOUND_S) {
        // what took longest: the last chats answered, with what PostgreSQL says of them
        const firstReply = new Map<string, number>();
        for (const call of world.graph.sent) {
          const to = (call.body as { to?: string }).to;
          if (to && b.acked.has(to) && !firstReply.has(to)) firstReply.set(to, wallClock(call) - back);
        }
        const slowest = [...firstReply.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5);
        const sql = createDb({ url: world.env().DATABASE_URL, max: 1 });
        console.log('slowest', JSON.stringify(slowest), JSON.stringify(await sql`
          SELECT i.chat_id, i.status, extract(epoch from i.received_at)::bigint AS received, extract(epoch from i.handled_at)::bigint AS handled_at,
                 o.attempts, extract(epoch from o.created_at)::bigint AS reply_written, extract(epoch from o.sent_at)::bigint AS sent
            FROM inbound_messages i LEFT JOIN outbox o ON o.inbound_id = i.id WHERE i.chat_id = ANY(${slowest.map((x) => x[0])})`), 'back', Math.round(back / 1000));
        await sql.end();
      }
      if (t.lost) {
        // say where the lost ones stopped: their messages and replies as PostgreSQL has them
        const sql = createDb({ url: world.env().DATABASE_URL, max: 1 });
        const lostChats = [...b.acked].filter((c) => !world.graph.sent.some((s) => (s.body as { to?: string }).to === c));
        console.log('lost', JSON.stringify(await sql`
          SELECT i.chat_id, i.status AS inbound, o.status AS reply, o.attempts, o.locked_until, o.error_title
            FROM inbound_messages i LEFT JOIN outbox o ON o.inbound_id = i.id WHERE i.chat_id = ANY(${lostChats})`));
        await sql.end();
      }
      expect(exitCode).toBe(1);
      expect(fatal).toBe(true);
      expect(exitedAfter).toBeLessThan(DEADLINE_MS / 1000 + 15);
      expect(t.lost).toBe(0);
      expect(t.duplicated).toBe(0);
      expect(seconds).toBeLessThanOrEqual(RECOVERY_BOUND_S);
    } finally {
      await stop(worker);
      await stop(web);
      await proxy.close();
      await world.drop();
      await redis.stop();
    }
  });
});
