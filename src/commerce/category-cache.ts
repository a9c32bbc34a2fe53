import type { Redis } from 'ioredis';
import type { CategoryListing } from './categories.ts';

export interface CategoryCacheOptions {
  redis: Redis;
  /** Keeps one deployment's (or one test's) keys apart: QUEUE_PREFIX. */
  prefix: string;
  /** How long a cached menu may be served (default 30 minutes, the seed's figure). */
  ttlSeconds?: number;
}

export interface CategoryCache {
  /** The cached category menu, or `load()`'s answer, which is then cached. Redis trouble: `load()` answers. */
  get: (load: () => Promise<CategoryListing[]>) => Promise<CategoryListing[]>;
  /** Drop the cached menu (after an import, or a refresh that changed the listings). */
  invalidate: () => Promise<void>;
}

/**
 * The category menu cached in Redis. Invalidation bumps a generation number that is part of the key
 * rather than deleting the key: a reader that loaded the menu just before an import finished writes it
 * under the old generation, where nobody looks any more, instead of putting a stale menu back for 30 minutes.
 */
export function createCategoryCache({ redis, prefix, ttlSeconds = 30 * 60 }: CategoryCacheOptions): CategoryCache {
  const generationKey = `${prefix}:catalogue:generation`;
  const menuKey = (generation: string) => `${prefix}:catalogue:categories:${generation}`;

  return {
    async get(load) {
      let generation: string;
      try {
        generation = (await redis.get(generationKey)) ?? '0';
        const cached = await redis.get(menuKey(generation));
        if (cached) return JSON.parse(cached) as CategoryListing[];
      } catch {
        return load();
      }
      const menu = await load();
      await redis.set(menuKey(generation), JSON.stringify(menu), 'EX', ttlSeconds).catch(() => {});
      return menu;
    },
    async invalidate() {
      await redis.incr(generationKey);
    },
  };
}
