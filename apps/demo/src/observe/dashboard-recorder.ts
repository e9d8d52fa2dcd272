import type { AnsweredRequest } from './request-outcome';

/** Latency percentiles in ms. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  count: number;
}

/** One time bucket of the dashboard. */
export interface DashboardBucket {
  /** Start, epoch ms. */
  start: number;
  spendUsdByTier: Record<string, number>;
  savingsUsdByTier: Record<string, number>;
  spendUsdByTenant: Record<string, number>;
  savingsUsdByTenant: Record<string, number>;
  decisions: { accept: number; escalate: number; route: number };
  /** Mean of the live quality estimates seen in the bucket; null when none. */
  qualityEstimate: number | null;
  qualityTarget: number | null;
  latencyMs: Percentiles | null;
  denials: Record<string, number>;
  findings: Record<string, number>;
}

/** What `/dashboard/data` returns. */
export interface DashboardSnapshot {
  now: number;
  bucketMs: number;
  buckets: DashboardBucket[];
  tenants: { userId: string; tier: string; requests: number; spendUsd: number; savingsUsd: number }[];
  totals: {
    requests: number;
    spendUsd: number;
    baselineUsd: number;
    savingsUsd: number;
    acceptRate: number | null;
    escalateRate: number | null;
    routeRate: number | null;
    qualityEstimate: number | null;
    latencyMs: Percentiles | null;
    denials: Record<string, number>;
    findings: Record<string, number>;
  };
}

/** Options of {@link createDashboardRecorder}. */
export interface DashboardRecorderOptions {
  /** Width of a bucket. @default 60000 (one minute) */
  bucketMs?: number;
  /** Buckets kept (older ones are dropped). @default 180 (three hours of minutes) */
  maxBuckets?: number;
  /** Tenants tracked by name; the rest are counted as `(other)`. @default 100 */
  maxTenants?: number;
  /** Latency samples kept per bucket and overall (a uniform reservoir beyond). @default 1000 */
  maxSamples?: number;
  now?: () => number;
  random?: () => number;
}

interface Bucket extends Omit<DashboardBucket, 'qualityEstimate' | 'qualityTarget' | 'latencyMs'> {
  quality: { sum: number; count: number; target: number | null };
  latencies: Reservoir;
}

/** A bounded uniform sample (Vitter's algorithm R). */
class Reservoir {
  readonly values: number[] = [];
  seen = 0;
  constructor(private readonly size: number, private readonly random: () => number) {}
  add(value: number): void {
    this.seen++;
    if (this.values.length < this.size) this.values.push(value);
    else {
      const index = Math.floor(this.random() * this.seen);
      if (index < this.size) this.values[index] = value;
    }
  }
  percentiles(): Percentiles | null {
    if (this.values.length === 0) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), count: this.seen };
  }
}

const add = (into: Record<string, number>, key: string, value: number): void => {
  into[key] = (into[key] ?? 0) + value;
};

/** This process's recent requests in time buckets, for the dashboard (bounded: buckets, tenants and samples are capped). */
export interface DashboardRecorder {
  answered(request: AnsweredRequest, latencyMs: number): void;
  denied(code: string, userId: string | undefined): void;
  snapshot(): DashboardSnapshot;
}

/** Creates the recorder. */
export function createDashboardRecorder(options: DashboardRecorderOptions = {}): DashboardRecorder {
  const bucketMs = options.bucketMs ?? 60_000;
  const maxBuckets = options.maxBuckets ?? 180;
  const maxTenants = options.maxTenants ?? 100;
  const maxSamples = options.maxSamples ?? 1_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const buckets: Bucket[] = [];
  const tenants = new Map<string, { tier: string; requests: number; spendUsd: number; savingsUsd: number }>();
  const overall = new Reservoir(maxSamples, random);
  const totals = { requests: 0, spendUsd: 0, baselineUsd: 0, accept: 0, escalate: 0, route: 0, denials: {} as Record<string, number>, findings: {} as Record<string, number>, quality: { sum: 0, count: 0 } };

  function current(): Bucket {
    const start = Math.floor(now() / bucketMs) * bucketMs;
    let last = buckets.at(-1);
    if (!last || last.start !== start) {
      last = {
        start, spendUsdByTier: {}, savingsUsdByTier: {}, spendUsdByTenant: {}, savingsUsdByTenant: {}, decisions: { accept: 0, escalate: 0, route: 0 },
        denials: {}, findings: {}, quality: { sum: 0, count: 0, target: null }, latencies: new Reservoir(maxSamples, random),
      };
      buckets.push(last);
      if (buckets.length > maxBuckets) buckets.shift();
    }
    return last;
  }

  const tenantKey = (userId: string): string => (tenants.has(userId) || tenants.size < maxTenants ? userId : '(other)');

  return {
    answered(request, latencyMs) {
      const bucket = current();
      const saved = request.baselineCostUsd - request.costUsd;
      const tenant = tenantKey(request.userId);
      add(bucket.spendUsdByTier, request.tier, request.costUsd);
      add(bucket.savingsUsdByTier, request.tier, saved);
      add(bucket.spendUsdByTenant, tenant, request.costUsd);
      add(bucket.savingsUsdByTenant, tenant, saved);
      bucket.decisions[request.decision]++;
      for (const finding of request.findings) {
        add(bucket.findings, finding, 1);
        add(totals.findings, finding, 1);
      }
      if (request.estimatedShare !== undefined) {
        bucket.quality.sum += request.estimatedShare;
        bucket.quality.count++;
        totals.quality = { sum: request.estimatedShare, count: 1 }; // the latest estimate is the live one
      }
      if (request.targetShare !== undefined) bucket.quality.target = request.targetShare;
      bucket.latencies.add(latencyMs);
      overall.add(latencyMs);
      const known = tenants.get(tenant) ?? { tier: request.tier, requests: 0, spendUsd: 0, savingsUsd: 0 };
      known.tier = request.tier;
      known.requests++;
      known.spendUsd += request.costUsd;
      known.savingsUsd += saved;
      tenants.set(tenant, known);
      totals.requests++;
      totals.spendUsd += request.costUsd;
      totals.baselineUsd += request.baselineCostUsd;
      totals[request.decision]++;
    },
    denied(code) {
      add(current().denials, code, 1);
      add(totals.denials, code, 1);
    },
    snapshot() {
      const rate = (count: number): number | null => (totals.requests === 0 ? null : count / totals.requests);
      return {
        now: now(),
        bucketMs,
        buckets: buckets.map(({ quality, latencies, ...bucket }) => ({
          ...structuredClone(bucket),
          qualityEstimate: quality.count === 0 ? null : quality.sum / quality.count,
          qualityTarget: quality.target,
          latencyMs: latencies.percentiles(),
        })),
        tenants: [...tenants].map(([userId, tenant]) => ({ userId, ...tenant })).sort((a, b) => b.spendUsd - a.spendUsd),
        totals: {
          requests: totals.requests,
          spendUsd: totals.spendUsd,
          baselineUsd: totals.baselineUsd,
          savingsUsd: totals.baselineUsd - totals.spendUsd,
          acceptRate: rate(totals.accept),
          escalateRate: rate(totals.escalate),
          routeRate: rate(totals.route),
          qualityEstimate: totals.quality.count === 0 ? null : totals.quality.sum,
          latencyMs: overall.percentiles(),
          denials: { ...totals.denials },
          findings: { ...totals.findings },
        },
      };
    },
  };
}
