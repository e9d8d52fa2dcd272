import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnsweredRequest } from './request-outcome';

/** The server's Prometheus metrics (prom-client, on a registry of its own). */
export interface ServerMetrics {
  readonly registry: Registry;
  answered(request: AnsweredRequest): void;
  /** Every HTTP request: route, status class, denial code, seconds. */
  served(route: string, status: number, seconds: number, denial: string | undefined): void;
}

/**
 * Counters, histograms and gauges of the server, labelled by route, subscription tier, model,
 * decision, guard and denial code — never by tenant (unbounded cardinality; the dashboard shows
 * tenants). `collectDefaultMetrics` adds the process's own (CPU, memory, event loop lag).
 */
export function createServerMetrics(options: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'cascade_demo_' });
  const registers = [registry];
  const httpRequests = new Counter({ name: 'cascade_http_requests_total', help: 'HTTP requests by route and status code.', labelNames: ['route', 'status'], registers });
  const httpDuration = new Histogram({
    name: 'cascade_http_request_duration_seconds', help: 'HTTP request duration, body read to last byte.', labelNames: ['route'], registers,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });
  const denials = new Counter({ name: 'cascade_denials_total', help: 'Requests refused by policy (limits, budget, guardrails, tier), by code.', labelNames: ['code'], registers });
  const requests = new Counter({ name: 'cascade_requests_total', help: 'Answered cascade requests by subscription tier and decision (accept: a draft answered; escalate: a draft was rejected; route: past the drafter).', labelNames: ['tier', 'decision'], registers });
  const cost = new Counter({ name: 'cascade_cost_usd_total', help: 'Spend on model calls, USD, by subscription tier and answering model.', labelNames: ['tier', 'model'], registers });
  const baseline = new Counter({ name: 'cascade_baseline_cost_usd_total', help: 'What the strongest allowed tier alone would have cost, USD, by subscription tier.', labelNames: ['tier'], registers });
  const savings = new Counter({ name: 'cascade_savings_usd_total', help: 'Baseline minus spend, USD, by subscription tier (decreases are not counted: see the baseline and cost counters).', labelNames: ['tier'], registers });
  const tokens = new Counter({ name: 'cascade_tokens_total', help: 'Tokens of every model call, by direction.', labelNames: ['direction'], registers });
  const findings = new Counter({ name: 'cascade_guardrail_findings_total', help: 'Guardrail findings by guard and type (never the matched text).', labelNames: ['guard', 'type'], registers });
  const quality = new Gauge({ name: 'cascade_quality_share_estimate', help: 'The learning cascade\'s live estimate of the strongest tier\'s quality kept, last seen per subscription tier.', labelNames: ['tier'], registers });
  const target = new Gauge({ name: 'cascade_quality_share_target', help: 'The quality share the subscription tier asks for.', labelNames: ['tier'], registers });
  return {
    registry,
    answered(request) {
      requests.inc({ tier: request.tier, decision: request.decision });
      cost.inc({ tier: request.tier, model: request.modelId }, request.costUsd);
      baseline.inc({ tier: request.tier }, request.baselineCostUsd);
      const saved = request.baselineCostUsd - request.costUsd;
      if (saved > 0) savings.inc({ tier: request.tier }, saved);
      tokens.inc({ direction: 'input' }, request.inputTokens);
      tokens.inc({ direction: 'output' }, request.outputTokens);
      for (const finding of request.findings) {
        const [guard, type] = finding.split(':') as [string, string];
        findings.inc({ guard, type });
      }
      if (request.estimatedShare !== undefined) quality.set({ tier: request.tier }, request.estimatedShare);
      if (request.targetShare !== undefined) target.set({ tier: request.tier }, request.targetShare);
    },
    served(route, status, seconds, denial) {
      httpRequests.inc({ route, status: String(status) });
      httpDuration.observe({ route }, seconds);
      if (denial) denials.inc({ code: denial });
    },
  };
}
