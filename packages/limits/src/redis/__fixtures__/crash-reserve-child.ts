// Child process for the crash test: reserves tokens and a budget on Redis at a given clock time, then
// exits without settling (a crash). argv: redisUrl prefix key nowMs ; prints "reserved".
import { Redis } from 'ioredis';
import { createBudget, createRateLimiter } from '@cascade/limits';
import { createRedisStore } from '@cascade/limits/redis';

const [redisUrl, prefix, key, nowMs] = process.argv.slice(2);
const client = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
const store = createRedisStore({ timeoutMs: 10_000 }, { client });
const now = () => Number(nowMs);
const limiter = createRateLimiter({ prefix: `${prefix}:rl`, limits: [{ window: '1 d', tokens: 1_000 }], reservationLeaseMs: '10 m' }, { store, now });
const budget = createBudget({ prefix: `${prefix}:budget`, monthlyUsd: 10, reservationLeaseMs: '10 m' }, { store, now });
const tokens = await limiter.reserve(key!, { tokens: 900 });
const spend = await budget.reserve(key!, 9);
process.stdout.write(tokens.decision.allowed && spend.decision.allowed ? 'reserved' : 'denied');
process.exit(0); // no settle, no release, no quit: the process is gone
