// Run: npx tsx --conditions=source examples/basic.ts   (from packages/limits)
import { createBudget, createLimitsMiddleware, createMemoryStore, createRateLimiter, retryAfterHeader, slidingWindow } from '@cascade/limits';

const store = createMemoryStore({ maxKeys: 10_000 });

// 1. A rate limiter: 3 requests per second (+2 burst) and 20,000 tokens per minute, in one atomic decision.
const limiter = createRateLimiter({ limits: [{ window: '1 s', requests: 3, burst: 2 }, { window: '1 m', tokens: 20_000 }] }, { store });
for (let index = 1; index <= 6; index++) {
  const decision = await limiter.consume('user-42', { tokens: 1_000 });
  console.log(`request ${index}: ${decision.reason}, remaining ${decision.remaining}, Retry-After ${retryAfterHeader(decision) ?? '-'}`);
}

// 2. A token reservation: reserve prompt + max output, settle to what the model really used.
const hold = await createRateLimiter({ limits: [slidingWindow(100, '1 m', { tokens: 5_000 })] }, { store }).reserve('user-7', { tokens: 4_000 });
await hold.settle({ tokens: 1_250 });
console.log('reservation allowed:', hold.decision.allowed, '→ settled to 1,250 tokens');

// 3. A budget: daily and monthly caps, calendar-aligned in Berlin time.
const budget = createBudget({ dailyUsd: 1, monthlyUsd: 20, timeZone: 'Europe/Berlin' }, { store });
const spend = await budget.reserve('org-acme', 0.4);
await spend.commit(0.12);
console.log('budget left today (USD):', (await budget.check('org-acme')).remaining);

// 4. The pipeline middleware: limits come from each request's policy.
const middleware = createLimitsMiddleware({}, { store });
const admitted = await middleware.admit!({
  requestId: 'r1', mode: 'run', userId: 'user-9', principal: { userId: 'user-9', organizationId: 'acme' },
  policy: { limits: { user: { rate: { requestsPerMinute: 10, tokensPerMinute: 8_000 } }, organization: { budget: { dailyUsd: 5 } } } },
  request: { messages: [{ role: 'user', content: 'Hello' }] }, estimate: { inputTokens: 12, maxOutputTokens: 512, costUsd: 0.001 },
  abortSignal: undefined, state: new Map(),
});
console.log('middleware admitted:', admitted.allowed);
if (admitted.allowed) await admitted.reservation?.settle({ usage: { inputTokens: 12, outputTokens: 40, source: 'provider' }, costUsd: 0.0002, outcome: 'success' });
