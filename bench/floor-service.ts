// The raw floor: the same shape as the service with none of its work. An HTTP endpoint adds a job to
// queue A; A's worker adds to B, B's to C, and C's worker POSTs to the fake WhatsApp API. No
// PostgreSQL, no parsing, no understanding: what BullMQ and HTTP alone cost on this machine.
import Fastify from 'fastify';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const { PORT, REDIS_URL = 'redis://127.0.0.1:6379', QUEUE_PREFIX = 'floor', TARGET_URL } = process.env;
const conn = () => new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const opts = { removeOnComplete: true, removeOnFail: true };
const producer = conn();
const [a, b, c] = ['a', 'b', 'c'].map((n) => new Queue(`floor-${n}`, { connection: producer, prefix: QUEUE_PREFIX, defaultJobOptions: opts }));
const workers = [
  new Worker('floor-a', async (job) => void (await b.add('x', job.data)), { connection: conn(), prefix: QUEUE_PREFIX, concurrency: 16 }),
  new Worker('floor-b', async (job) => void (await c.add('x', job.data)), { connection: conn(), prefix: QUEUE_PREFIX, concurrency: 16 }),
  new Worker('floor-c', async (job) => {
    await fetch(TARGET_URL!, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer floor' }, body: JSON.stringify({ messaging_product: 'whatsapp', to: job.data.to, type: 'text', text: { body: 'ok' } }) });
  }, { connection: conn(), prefix: QUEUE_PREFIX, concurrency: 16 }),
];
const app = Fastify();
app.post('/in', async (request) => {
  await a.add('x', request.body as object);
  return { ok: true };
});
await app.listen({ port: Number(PORT), host: '127.0.0.1' });
process.on('SIGTERM', async () => {
  await app.close();
  await Promise.all(workers.map((w) => w.close()));
  process.exit(0);
});
