import type { Clock } from '../clock.ts';
import type { Db } from '../store/database.ts';
import { createDatabaseThrottle } from './database-throttle.ts';
import { createRedisThrottle } from './redis-throttle.ts';
import type { Throttle } from './throttle.ts';

export type { Throttle, LockoutPolicy } from './throttle.ts';

/** Redis when REDIS_URL is set, otherwise the database: either way shared by every node. */
export function createThrottle(options: { redisUrl?: string | undefined; db: Db; clock: Clock }): Throttle {
  return options.redisUrl ? createRedisThrottle(options.redisUrl, options.clock) : createDatabaseThrottle(options.db, options.clock);
}
