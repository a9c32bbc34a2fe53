import { createRuntimeSettings, type RuntimeSettings } from '../crm/system-config.ts';
import { createSessionStore, type SessionStore } from '../crm/sessions.ts';
import type { Runtime } from './runtime.ts';

/** The run-time settings and the session store, wired the same way in every role. */
export function createCustomerMemory(rt: Runtime): { settings: RuntimeSettings & { prime: () => Promise<void> }; sessions: SessionStore } {
  const settings = createRuntimeSettings(rt.sql);
  const sessions = createSessionStore({
    sql: rt.sql,
    redis: rt.redis,
    prefix: rt.config.QUEUE_PREFIX,
    useCache: () => settings.flag('use_redis_sessions'),
    ttlSeconds: () => settings.number('session_ttl_seconds', 7200),
  });
  return { settings, sessions };
}
