import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Stage } from '../../src/config/schema.ts';
import type { Runtime } from '../../src/roles/runtime.ts';
import { createWebApp } from '../../src/roles/web-role.ts';
import { startWorkers, type WorkerRole, type WorkerRoleOptions } from '../../src/roles/worker-role.ts';
import { startFakeGraph, type FakeGraph } from './fake-graph.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';
import { createTestRuntime, dropQueuePrefix, META_SECRET } from './test-runtime.ts';

export const PHONE_NUMBER_ID = '1098765432';
export const ACCESS_TOKEN = 'test-access-token';

export interface Pipeline {
  db: TestDatabase;
  rt: Runtime;
  app: FastifyInstance;
  graph: FakeGraph;
  roles: WorkerRole[];
  /** Start one more set of stage workers (another "process"). */
  addWorkers: (opts?: WorkerRoleOptions) => Promise<WorkerRole>;
  postMeta: (body: unknown) => Promise<{ status: number; body: string }>;
  postRaw: (path: string, raw: string | Buffer, headers?: Record<string, string>) => Promise<{ status: number; body: string }>;
  stop: () => Promise<void>;
}

export const signMeta = (raw: string | Buffer, secret = META_SECRET) => 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');

/**
 * The whole pipeline in this process: a private database, its own queue prefix, the web app (driven
 * with inject) and `workerSets` sets of stage workers, sending to a fake Graph API on loopback.
 */
export async function startPipeline(opts: { env?: Record<string, string>; workerSets?: number; stages?: Stage[]; around?: WorkerRoleOptions['around'] } = {}): Promise<Pipeline> {
  const db = await createTestDatabase();
  const graph = await startFakeGraph();
  const rt = await createTestRuntime({
    DATABASE_URL: db.url,
    WHATSAPP_PROVIDER: 'meta',
    META_ACCESS_TOKEN: ACCESS_TOKEN,
    META_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    META_GRAPH_URL: graph.url,
    JOB_LOCK_MS: '2000',
    ...opts.env,
  });
  const app = await createWebApp(rt);
  const roles: WorkerRole[] = [];
  const addWorkers = async (o: WorkerRoleOptions = {}) => {
    // a stage stuck for good would exit the process (the supervisor's cue); in tests say so and fail instead
    const onStuck = (stage: Stage, reason: string) => console.error(`watchdog gave up on ${stage}: ${reason}`);
    const role = await startWorkers(rt, { stages: opts.stages, around: opts.around, onStuck, ...o });
    roles.push(role);
    return role;
  };
  for (let i = 0; i < (opts.workerSets ?? 1); i++) await addWorkers();

  const postRaw = async (path: string, raw: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'POST', url: path, payload: raw, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.statusCode, body: res.body };
  };
  return {
    db,
    rt,
    app,
    graph,
    roles,
    addWorkers,
    postRaw,
    postMeta: (body) => {
      const raw = JSON.stringify(body);
      return postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw) });
    },
    stop: async () => {
      for (const r of roles) await r.close(2000);
      await app.close();
      await rt.close();
      await graph.close();
      await dropQueuePrefix(rt.config.QUEUE_PREFIX);
      await db.drop();
    },
  };
}
