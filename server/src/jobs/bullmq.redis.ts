import { Redis } from 'ioredis';

/**
 * A Redis client for BullMQ. Workers wait out a Redis restart (BullMQ requires
 * `maxRetriesPerRequest: null` for them); everything else (adding jobs, counts for the API)
 * fails after one reconnection attempt instead of hanging a request.
 */
export function connectRedis(url: string, use: 'workers' | 'requests'): Redis {
  return new Redis(url, { maxRetriesPerRequest: use === 'workers' ? null : 1 });
}

/** Deletes every key below a prefix (tests use a prefix of their own, then clean it up). */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = connectRedis(redisUrl, 'requests');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}
