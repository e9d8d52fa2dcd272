// Child process for the multi-process test and bench: N concurrent consumes against one shared limit.
// argv: redisUrl prefix key concurrency limit ; prints the number admitted.
import { Redis } from 'ioredis';
import { createRateLimiter, slidingWindow } from '@cascade/limits';
import { createRedisStore } from '@cascade/limits/redis';

const [redisUrl, prefix, key, concurrency, limit] = process.argv.slice(2);
const client = new Redis(redisUrl!, { lazyConnect: false, maxRetriesPerRequest: 1 });
const store = createRedisStore({ timeoutMs: 10_000 }, { client });
const limiter = createRateLimiter({ prefix: prefix!, limits: [slidingWindow(Number(limit), '1 h')] }, { store });
const decisions = await Promise.all(Array.from({ length: Number(concurrency) }, () => limiter.consume(key!)));
process.stdout.write(String(decisions.filter((decision) => decision.allowed).length));
await client.quit();
