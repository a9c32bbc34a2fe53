import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { listSettings, readSetting, writeSetting } from '../../crm/system-config.ts';
import { SETTING_NAMES, validateSetting } from '../../crm/setting-rules.ts';

/** Run-time switches (system_config): read and changed without a redeploy. */
export async function adminConfigRoutes(app: FastifyInstance, opts: { sql: Sql }): Promise<void> {
  const { sql } = opts;
  const keyParam = { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,63}$' } } } as const;

  app.get('/admin/api/config', async () => ({ items: await listSettings(sql) }));

  app.get('/admin/api/config/:key', { schema: { params: keyParam } }, async (request, reply) => {
    const { key } = request.params as { key: string };
    const value = await readSetting(sql, key);
    return value === undefined ? reply.code(404).send({ error: `no setting ${key}` }) : { key, value };
  });

  app.put('/admin/api/config/:key', {
    schema: { params: keyParam, body: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: { type: 'string', maxLength: 1000 } } } },
  }, async (request, reply) => {
    const { key } = request.params as { key: string };
    const { value } = request.body as { value: string };
    const problem = validateSetting(key, value);
    if (problem) return reply.code(400).send({ error: problem, settings: SETTING_NAMES });
    await writeSetting(sql, key, value, request.operator?.name);
    return { key, value };
  });
}
