import type { Redis } from 'ioredis';

// "Customer is typing…" as the provider reports it (Whapi presences). Kept in Redis with a short TTL:
// it only stretches the burst window, so losing it costs nothing but a slightly earlier answer.

const TYPING_STATES = new Set(['typing', 'composing', 'recording']);
export const typingKey = (prefix: string, chatId: string) => `${prefix}:presence:typing:${chatId}`;
const key = typingKey;

export async function notePresence(redis: Redis, prefix: string, chatId: string, status: string, ttlMs: number): Promise<void> {
  if (TYPING_STATES.has(status.toLowerCase())) await redis.set(key(prefix, chatId), '1', 'PX', ttlMs);
  else await redis.del(key(prefix, chatId));
}

export async function isTyping(redis: Redis, prefix: string, chatId: string): Promise<boolean> {
  try {
    return (await redis.exists(key(prefix, chatId))) === 1;
  } catch {
    return false; // Redis trouble must not hold a reply back
  }
}
