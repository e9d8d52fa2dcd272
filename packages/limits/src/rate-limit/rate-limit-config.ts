import { z } from 'zod';
import { durationSchema, type Duration } from '../duration/duration';
import { reservationLeaseSchema } from '../reservation/reservation-lease';
import { renameModeToEnforcement } from '../config/enforcement';

/** Rate-limit algorithms. */
export const rateLimitAlgorithmSchema = z.enum(['sliding-window', 'token-bucket', 'fixed-window']);
/** `sliding-window` (two-counter approximation, bounded memory), `token-bucket`, or `fixed-window`. */
export type RateLimitAlgorithm = z.output<typeof rateLimitAlgorithmSchema>;

/** One window of a rate limit: requests and/or tokens allowed per `window`. */
export const rateLimitRuleSchema = z
  .object({
    /** Window length (`'1 s'`, `'1 m'`, `'1 h'`, `'1 d'` or ms). For a token bucket: the refill interval. */
    window: durationSchema,
    /** Requests allowed per window. */
    requests: z.number().int().positive().optional(),
    /** Tokens (prompt + output) allowed per window. */
    tokens: z.number().int().positive().optional(),
    /** Extra requests allowed above `requests` in a burst (a token bucket's extra capacity). @default 0 */
    burst: z.number().int().nonnegative().default(0),
    /** Extra tokens allowed above `tokens` in a burst. @default 0 */
    tokenBurst: z.number().int().nonnegative().default(0),
    /** Overrides the limiter's algorithm for this window. */
    algorithm: rateLimitAlgorithmSchema.optional(),
  })
  .refine((rule) => rule.requests !== undefined || rule.tokens !== undefined, {
    message: 'A limit needs `requests`, `tokens` or both, e.g. { window: "1 m", requests: 60 }',
  });

/** A window of a rate limit as callers write it. */
export type RateLimitRule = z.input<typeof rateLimitRuleSchema>;

/** Configuration of {@link createRateLimiter}. */
export const rateLimiterConfigSchema = z
  .object({
    /** Namespace of this limiter's keys (Redis key prefix). Two limiters with one prefix share counts. @default 'cascade:rl' */
    prefix: z.string().min(1).max(200).default('cascade:rl'),
    /** Algorithm of every window that does not set its own. @default 'sliding-window' */
    algorithm: rateLimitAlgorithmSchema.default('sliding-window'),
    /** The windows; all are checked and consumed in one atomic decision. */
    limits: z.array(rateLimitRuleSchema).min(1, 'Give at least one limit, e.g. [{ window: "1 m", requests: 60 }]').max(32),
    /** Most reservations in flight per key (`reserve` holds one until it is settled). */
    maxConcurrent: z.number().int().positive().optional(),
    /** An in-flight count untouched this long is reset (protects against crashed holders). @default '10 m' */
    concurrencyLeaseMs: durationSchema.default(600_000),
    /**
     * Tokens held by a `reserve` that is never settled or released (crashed process, lost promise)
     * stop counting after this long: the first decision on the key after it gives them back.
     * Requests must finish well within it; a settle after it counts the actual tokens in full. @default '10 m'
     */
    reservationLeaseMs: reservationLeaseSchema,
    /** `block` denies over-limit requests; `warn` allows and counts them and reports `reason: 'warned'`. @default 'block' */
    enforcement: z.enum(['block', 'warn']).optional(),
    /** @deprecated Use `enforcement` (same values). Accepted until the next minor version. */
    mode: z.enum(['block', 'warn']).optional(),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    for (const [index, rule] of config.limits.entries()) {
      const id = `${rule.algorithm ?? config.algorithm}:${rule.window}`;
      if (seen.has(id)) {
        context.addIssue({ code: 'custom', path: ['limits', index], message: `Two limits share the window ${rule.window} ms and algorithm; merge them into one entry with requests and tokens` });
      }
      seen.add(id);
    }
  })
  .transform(renameModeToEnforcement);

/** What callers write to configure a rate limiter. */
export type RateLimiterConfig = z.input<typeof rateLimiterConfigSchema>;

/**
 * A sliding window: at most `requests` per `window`, weighted over the current and previous window
 * (two counters per key, no timestamp logs).
 *
 * @example
 * createRateLimiter({ limits: [slidingWindow(10, '1 s'), slidingWindow(1000, '1 h')] });
 */
export function slidingWindow(requests: number, window: Duration, options: { tokens?: number; burst?: number } = {}): RateLimitRule {
  return { algorithm: 'sliding-window', window, requests, ...options };
}

/**
 * A fixed window: at most `requests` per calendar-free window aligned to the epoch.
 *
 * @example
 * createRateLimiter({ limits: [fixedWindow(100, '1 m')] });
 */
export function fixedWindow(requests: number, window: Duration, options: { tokens?: number; burst?: number } = {}): RateLimitRule {
  return { algorithm: 'fixed-window', window, requests, ...options };
}

/**
 * A token bucket: refills `refill` per `interval` up to `maxRequests` (burst = maxRequests − refill).
 *
 * @example
 * createRateLimiter({ limits: [tokenBucket(5, '1 s', 20)] }); // 5/s sustained, bursts of 20
 */
export function tokenBucket(refill: number, interval: Duration, maxRequests: number = refill): RateLimitRule {
  return { algorithm: 'token-bucket', window: interval, requests: refill, burst: Math.max(0, maxRequests - refill) };
}
