import type { PipelineContext } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { createTierQualityShareMiddleware } from './tier-quality-share';

const contextOf = (tier: string | undefined): PipelineContext => ({ principal: tier === undefined ? undefined : { userId: 'u', tier }, policy: { qualityTarget: 0.8 } }) as unknown as PipelineContext;

describe('createTierQualityShareMiddleware', () => {
  it('replaces a tier’s score threshold by its share, so the learner decides', async () => {
    const middleware = createTierQualityShareMiddleware({ pro: 0.93 });
    const resolved = await middleware.resolve!(contextOf('pro'));
    expect(resolved?.policy).toEqual({ qualityTarget: undefined, qualityShare: 0.93 });
    expect(resolved?.policy && 'qualityTarget' in resolved.policy).toBe(true);
  });

  it('leaves principals on other tiers, and anonymous requests, alone', async () => {
    const middleware = createTierQualityShareMiddleware({ pro: 0.93 });
    expect(await middleware.resolve!(contextOf('custom'))).toBeUndefined();
    expect(await middleware.resolve!(contextOf(undefined))).toBeUndefined();
  });
});
