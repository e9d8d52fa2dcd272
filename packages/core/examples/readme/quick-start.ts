import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';

const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
  policy: { qualityShare: 0.95, maxCostPerRequestUsd: 0.05 }, // keep 95 % of gpt-4o's quality (the default)
});
const result = await agent.run('Summarize RFC 9110 in two sentences.', { userId: 'user_123' });
console.log(result.text);
console.log(result.attempts); // [{ modelId, status: 'accepted' | 'escalated' | ..., usage, costUsd, latencyMs, quality, reason }]
console.log(result.learning); // { kind, drafterId, decision: 'accept' | 'escalate' | 'route' | 'explore', probability, target, estimatedShare, interval, audited }
console.log(agent.stats());   // per drafter: estimatedShare [interval], acceptRate, routedRate, auditCostUsd, labels, savingsUsd, signals; per kind inside
