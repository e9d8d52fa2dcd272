// Stores
export { createMemoryStore, memoryStoreConfigSchema, type MemoryStore, type MemoryStoreConfig, type MemoryStoreStats } from './memory/memory-store';
export {
  ALGORITHM_CODE, HOLD_RETRY_MS, createLayout,
  type CounterAlgorithm, type CounterDimension, type CounterSpec, type CounterLayout, type CounterPeriod,
  type KeyOperation, type EvaluateRequest, type EvaluateResult, type LimitStore, type HoldLease,
} from './counter/counter';
// Decisions
export { retryAfterHeader, describeWindow, MICRO_USD, type LimitDecision, type DecisionReason, type LimitInfo } from './decision/limit-decision';
// Rate limits
export { durationSchema, toMilliseconds, type Duration, type DurationUnit } from './duration/duration';
export {
  rateLimiterConfigSchema, rateLimitRuleSchema, rateLimitAlgorithmSchema, slidingWindow, fixedWindow, tokenBucket,
  type RateLimiterConfig, type RateLimitRule, type RateLimitAlgorithm,
} from './rate-limit/rate-limit-config';
export { createRateLimiter, type RateLimiter, type RateLimitReservation, type ConsumeOptions, type LimiterDependencies } from './rate-limit/rate-limiter';
// Reservations
export { reservationLeaseSchema, type SettleResult } from './reservation/reservation-lease';
// Calendar
export { periodContaining, startOfLocalDay, isValidTimeZone, type BudgetPeriod, type Weekday } from './calendar/calendar-period';
// Budgets, concurrency, middleware
export { createBudget, budgetConfigSchema, timeZoneSchema, type Budget, type BudgetConfig, type BudgetReservation } from './budget/budget';
export { createConcurrencyLimiter, concurrencyLimiterConfigSchema, type ConcurrencyLimiter, type ConcurrencyLimiterConfig, type ConcurrencySlot } from './concurrency/concurrency-limiter';
export { createLimitsMiddleware, limitsMiddlewareConfigSchema, type LimitsMiddlewareConfig, type LimitsMiddlewareDependencies } from './middleware/limits-middleware';
