import {
  type CascadeMiddleware, type GuardedStreamPart, type QualityValidator, type SettleInfo, createPricing,
} from '@cascade/core';

export const pricing = createPricing({
  includeDefaults: false,
  prices: {
    cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 },
    strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 60 },
    'gpt-4o-mini': { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 },
    'gpt-4o': { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 },
  },
});

/** Rejects drafts containing "unsure"; its partial check fails as soon as "unsure" appears. */
export const validator: QualityValidator = {
  name: 'test',
  validate: ({ draft, threshold }) => {
    const score = draft.text.includes('unsure') ? 0.2 : 0.9;
    return {
      score,
      passed: score >= threshold,
      signals: score >= threshold ? [] : [{ name: 'hedging', impact: -0.7 }],
      reason: score >= threshold ? 'looks fine' : 'hedging',
    };
  },
  checkPartial: (_request, text) => (text.includes('unsure') ? { failing: true, reason: 'hedging' } : { failing: false }),
};

/** A limiter that admits everything and records each settle. */
export function recordingLimiter(): CascadeMiddleware & { settled: SettleInfo[]; admitted: number } {
  const middleware = {
    name: 'recording-limiter',
    settled: [] as SettleInfo[],
    admitted: 0,
    admit: () => {
      middleware.admitted++;
      return { allowed: true as const, reservation: { settle: (info: SettleInfo) => void middleware.settled.push(info) } };
    },
  };
  return middleware;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** A minimal stream redactor: holds text after the last whitespace so an e-mail split across chunks is still caught. */
export function emailRedactor(): CascadeMiddleware {
  function redact(text: string): { text: string; count: number } {
    let count = 0;
    const replaced = text.replace(EMAIL, () => {
      count++;
      return '[EMAIL]';
    });
    return { text: replaced, count };
  }
  return {
    name: 'email-redactor',
    async *guardStream(_context, deltas): AsyncGenerator<GuardedStreamPart> {
      let pending = '';
      for await (const delta of deltas) {
        pending += delta;
        const cut = Math.max(pending.lastIndexOf(' '), pending.lastIndexOf('\n'));
        if (cut < 0) continue;
        const ready = redact(pending.slice(0, cut + 1));
        pending = pending.slice(cut + 1);
        if (ready.count > 0) yield { type: 'guardrail', action: 'redacted', findings: [{ guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact' }] };
        yield { type: 'text', text: ready.text };
      }
      const rest = redact(pending);
      if (rest.count > 0) yield { type: 'guardrail', action: 'redacted', findings: [{ guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact' }] };
      if (rest.text) yield { type: 'text', text: rest.text };
    },
  };
}

/** Stops the stream at the first chunk containing "FORBIDDEN". */
export function forbiddenStopper(): CascadeMiddleware {
  return {
    name: 'forbidden-stopper',
    async *guardStream(_context, deltas): AsyncGenerator<GuardedStreamPart> {
      for await (const delta of deltas) {
        if (delta.includes('FORBIDDEN')) {
          yield { type: 'guardrail', action: 'stopped', findings: [{ guard: 'moderation', type: 'forbidden', action: 'block' }], reason: 'forbidden content' };
          return;
        }
        yield { type: 'text', text: delta };
      }
    },
  };
}
