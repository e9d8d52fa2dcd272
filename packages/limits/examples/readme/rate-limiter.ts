import { createRateLimiter, retryAfterHeader } from '@cascade/limits';
import { createRedisStore } from '@cascade/limits/redis';
import { Redis } from 'ioredis';

const store = createRedisStore({ timeoutMs: 50, failMode: 'open' }, { client: new Redis(process.env.REDIS_URL!) });
const limiter = createRateLimiter({ limits: [{ window: '1 s', requests: 5, burst: 5 }, { window: '1 m', requests: 100, tokens: 50_000 }] }, { store });

/** Answers with a status and headers; `callModel` is your model call, which reports the tokens it used. */
export async function handle(userId: string, maxTokens: number, callModel: () => Promise<{ totalTokens: number }>) {
  const hold = await limiter.reserve(userId, { tokens: maxTokens });   // prompt + max output tokens
  if (!hold.decision.allowed) return { status: 429, headers: { 'Retry-After': retryAfterHeader(hold.decision) } };
  try {
    const result = await callModel();
    await hold.settle({ tokens: result.totalTokens });                  // give back what was not used
    return { status: 200, headers: {} };
  } catch (error) {
    await hold.release();
    throw error;
  }
}
