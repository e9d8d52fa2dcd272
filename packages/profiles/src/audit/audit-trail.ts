import { randomUUID } from 'node:crypto';
import {
  type AdmitResult, CascadeError, type CascadeMiddleware, type PipelineContext, type RequestReport, abortErrorFrom, messageText, parseConfig, planOf, toCascadeError,
} from '@cascade/core';
import { z } from 'zod';
import { type AuditLevel, type AuditRecord, auditLevelSchema } from './audit-record';
import type { AuditStore, AuditStoreCallOptions } from './audit-store';

const DAY_MS = 86_400_000;

/** Configuration of {@link createAuditTrail}. */
export const auditTrailConfigSchema = z.strictObject({
  /** Middleware name. @default 'audit' */
  name: z.string().min(1).default('audit'),
  /** Level of a request whose profile sets none (`auditLogLevel`); `none` records nothing. @default 'standard' */
  defaultLevel: z.union([auditLevelSchema, z.literal('none')]).default('standard'),
  /** Retention of a request whose profile sets no `dataRetentionDays`; `null` keeps records until erased. @default null */
  defaultRetentionDays: z.number().int().nonnegative().nullable().default(null),
  /** Records per store write. @default 100 */
  batchSize: z.number().int().positive().default(100),
  /** First wait before retrying a failed write; doubles up to 30 s. Records stay queued meanwhile. @default 1000 */
  retryDelayMs: z.number().int().positive().default(1000),
  /**
   * Most records held in memory: queued ones plus one slot per request in flight that will be recorded.
   * A request takes its slot at admission, so the record of a request that was served always fits.
   * @default 10000
   */
  maxQueued: z.number().int().positive().default(10_000),
  /**
   * How long a request waits at admission for a slot when the queue is full (the store is down or
   * slower than the traffic) before it is refused with `STORE_FAILED` (retryable, HTTP 503): requests
   * are held back, then shed, never served without their record. 0 refuses at once. @default 5000
   */
  maxAdmitWaitMs: z.number().int().nonnegative().max(2_147_483_647).default(5_000),
});
export type AuditTrailConfig = z.input<typeof auditTrailConfigSchema>;

/** Dependencies of {@link createAuditTrail}. */
export interface AuditTrailDependencies {
  store: AuditStore;
  /** Clock (epoch ms) for record times and the retention purge. @default Date.now */
  now?: () => number;
  /** Record ids. @default crypto.randomUUID */
  generateId?: () => string;
  /**
   * Redacts text stored by `comprehensive` records (e.g. `(text) => piiRedactor.redact(text).text` with the
   * guardrails package's redactor, passed in by the app). Without it, `comprehensive` records hold no prompt or answer at all, so a
   * record never holds text no redactor saw (the text is also already after the pipeline's PII guards).
   */
  redact?: (text: string) => string;
  /**
   * Told about each failed store write (the records stay queued and are retried), and each record
   * dropped because the queue was full (`STORE_FAILED`; only records of requests refused before they
   * took a slot, e.g. denied by a limit placed before the trail). Without it, the first drop is a
   * process warning.
   */
  onError?: (error: CascadeError) => void;
}

/** The audit trail: a middleware that records every request, and the operations on its records. */
export interface AuditTrail {
  /** Add to the agent's middleware (anywhere; it only has an `onEnd` hook). */
  readonly middleware: CascadeMiddleware;
  /** Resolves once every record queued so far is in the store (retrying failed writes). */
  flush(options?: AuditStoreCallOptions): Promise<void>;
  /** Flushes, then stops accepting records. Rejects (`STORE_FAILED`) if the store keeps failing until the signal fires. */
  close(options?: AuditStoreCallOptions): Promise<void>;
  /** Deletes records past their retention (`expiresAt <= now()`); returns how many. */
  purge(options?: AuditStoreCallOptions): Promise<number>;
  /** The user's records (queued ones flushed first). */
  exportUser(userId: string, options?: AuditStoreCallOptions): Promise<AuditRecord[]>;
  /** Deletes the user's records (queued ones flushed first, so none is written after); returns how many. */
  eraseUser(userId: string, options?: AuditStoreCallOptions): Promise<number>;
  /** Records queued, slots held by requests in flight, written, failed writes, dropped (queue full), requests refused for want of a slot. */
  stats(): { pending: number; reserved: number; written: number; failedWrites: number; dropped: number; refused: number };
}

/**
 * Creates an audit trail: per request, one append-only record at the profile's `auditLogLevel`
 * (`minimal`: ids, models, tokens, cost, outcome; `standard`: + each call's decision and score,
 * guardrail findings, limit decisions; `comprehensive`: + the redacted prompt and answer), written to
 * `store` off the response path. The record is built when the request ends and queued; a background
 * loop writes batches, retrying failures with backoff, so a slow or failing store never slows a request
 * and loses no record of a finished request (`flush`/`close` wait for them). Memory is bounded
 * (`maxQueued`): each request takes a slot at admission, so when the store falls behind new requests
 * wait (`maxAdmitWaitMs`), then are refused with `STORE_FAILED`, rather than be served unrecorded.
 * Retention: each record
 * expires after the profile's `dataRetentionDays`, capped by a compliance regime's `maxRetentionDays`;
 * `purge()` removes expired records (run it on a schedule).
 *
 * Reads the principal's attributes set by the profiles middleware: `auditLogging`, `auditLogLevel`,
 * `dataRetentionDays`, `complianceMode`, `dataRegion`.
 *
 * @example
 * const trail = createAuditTrail({}, { store: createSqliteAuditStore({ filename: 'audit.db' }), redact });
 * const agent = createCascadeAgent({ models, middleware: [profiles, limits, guardrails, trail.middleware] });
 * // on shutdown: await trail.close();
 */
export function createAuditTrail(config: AuditTrailConfig, dependencies: AuditTrailDependencies): AuditTrail {
  const options = parseConfig(auditTrailConfigSchema, config, 'createAuditTrail config');
  if (typeof (dependencies as Partial<AuditTrailDependencies> | undefined)?.store?.append !== 'function') {
    throw new CascadeError('INVALID_CONFIG', 'createAuditTrail: pass an audit store in the second argument ({ store: createMemoryAuditStore() }).');
  }
  const { store, redact, onError } = dependencies;
  const now = dependencies.now ?? Date.now;
  const generateId = dependencies.generateId ?? randomUUID;
  const queue: AuditRecord[] = [];
  let draining: Promise<void> | undefined;
  let written = 0;
  let failedWrites = 0;
  let dropped = 0;
  let refused = 0;
  /** Slots taken at admission by requests in flight, released when their record is queued. */
  let reserved = 0;
  /** Admissions waiting for room, woken after each written batch. */
  const roomWaiters = new Set<() => void>();
  /** Marks, in its `context.state`, a request that holds a slot, or one the trail refused (nothing to record: there is no room). */
  const SLOT = Symbol('audit slot');
  const REFUSED = Symbol('audit refused');
  let closed = false;
  let stopSignal: AbortSignal | undefined;
  /** Ends the current retry wait early (a flush's signal fired). */
  let wake: (() => void) | undefined;

  async function drain(): Promise<void> {
    let delay = options.retryDelayMs;
    while (queue.length > 0) {
      const batch = queue.slice(0, options.batchSize);
      try {
        await store.append(batch);
        queue.splice(0, batch.length);
        written += batch.length;
        delay = options.retryDelayMs;
        for (const wakeWaiter of roomWaiters) wakeWaiter();
      } catch (error) {
        failedWrites++;
        onError?.(toCascadeError(error, 'STORE_FAILED', 'Writing audit records (they stay queued and are retried)'));
        if (stopSignal?.aborted) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, delay);
          timer.unref?.();
          wake = done;
          function done(): void {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
        });
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }
  const startDrain = (): Promise<void> => {
    draining ??= drain().finally(() => {
      draining = undefined;
    });
    return draining;
  };
  async function flush(callOptions?: AuditStoreCallOptions): Promise<void> {
    stopSignal = callOptions?.abortSignal;
    const onAbort = (): void => wake?.();
    stopSignal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (queue.length > 0) {
        if (stopSignal?.aborted) {
          throw new CascadeError('STORE_FAILED', `${queue.length} audit record(s) are still queued: the audit store kept failing. They stay queued; call flush() again once the store is back.`, { retryable: true });
        }
        await startDrain();
      }
    } finally {
      callOptions?.abortSignal?.removeEventListener('abort', onAbort);
      stopSignal = undefined;
    }
  }

  const hasRoom = (): boolean => queue.length + reserved < options.maxQueued;
  const ALLOWED: AdmitResult = Object.freeze({ allowed: true });
  const takeSlot = (context: PipelineContext): AdmitResult => {
    reserved++;
    context.state.set(options.name, SLOT);
    return ALLOWED;
  };

  /**
   * Waits until a slot is free and takes it (true), or the wait bound passes (false), or the request is
   * aborted (rejects). The slot is taken when the waiter is woken, so one free slot admits one waiter.
   */
  async function waitForSlot(context: PipelineContext): Promise<boolean> {
    const signal = context.abortSignal;
    if (options.maxAdmitWaitMs === 0) return false;
    if (signal?.aborted) throw abortErrorFrom(signal);
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => finish(false), options.maxAdmitWaitMs);
      const onAbort = (): void => finish(abortErrorFrom(signal!));
      const check = (): void => {
        if (!hasRoom()) return;
        takeSlot(context);
        finish(true);
      };
      roomWaiters.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
      function finish(outcome: boolean | Error): void {
        clearTimeout(timer);
        roomWaiters.delete(check);
        signal?.removeEventListener('abort', onAbort);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      }
    });
  }

  const middleware: CascadeMiddleware = {
    name: options.name,
    admit(context): AdmitResult | Promise<AdmitResult> {
      if (closed || levelFor(context) === 'none') return ALLOWED;
      // The common case (room) stays synchronous: no promise on the request path.
      if (hasRoom()) return takeSlot(context);
      return waitForSlot(context).then((taken) => {
        if (taken) return ALLOWED;
        refused++;
        context.state.set(options.name, REFUSED);
        throw new CascadeError(
          'STORE_FAILED',
          `The audit trail is full (${queue.length} record(s) waiting for the audit store, maxQueued ${options.maxQueued}): the request was refused rather than served without its audit record. Check the audit store; retry later.`,
          { retryable: true, details: { pending: queue.length, maxQueued: options.maxQueued } },
        );
      });
    },
    onEnd(report) {
      const mark = report.context.state.get(options.name);
      if (mark === REFUSED) return;
      const held = mark === SLOT;
      if (held) {
        report.context.state.delete(options.name);
        reserved--;
      }
      const record = closed ? undefined : buildRecord(report);
      if (!record) {
        if (held) for (const wakeWaiter of roomWaiters) wakeWaiter();
        return;
      }
      if (!held && !hasRoom()) {
        drop(record);
        return;
      }
      queue.push(record);
      void startDrain();
    },
  };

  function drop(record: AuditRecord): void {
    dropped++;
    const error = new CascadeError(
      'STORE_FAILED',
      `Dropped the audit record of request ${record.requestId} (outcome ${record.outcome}): the queue is full (maxQueued ${options.maxQueued}) and the request was refused before it took a slot. ${dropped} dropped so far; check the audit store.`,
      { details: { requestId: record.requestId, dropped } },
    );
    if (onError) onError(error);
    else if (dropped === 1) process.emitWarning(error.message, { code: 'CASCADE_AUDIT_DROPPED' });
  }

  /** The level a request will be recorded at (`none`: not recorded). */
  function levelFor(context: PipelineContext): AuditLevel | 'none' {
    const attributes = context.principal?.attributes ?? {};
    if (attributes['auditLogging'] === false) return 'none';
    return levelOf(attributes['auditLogLevel']) ?? options.defaultLevel;
  }

  function buildRecord(report: RequestReport): AuditRecord | undefined {
    const { context } = report;
    const attributes = context.principal?.attributes ?? {};
    const level = levelFor(context);
    if (level === 'none') return undefined;
    const timestamp = now();
    const compliance = context.policy.compliance;
    const retentions = [numberOf(attributes['dataRetentionDays']) ?? options.defaultRetentionDays, compliance?.maxRetentionDays].filter((days): days is number => typeof days === 'number');
    const retentionDays = retentions.length > 0 ? Math.min(...retentions) : undefined;
    const principal = context.principal;
    const complianceMode = compliance?.mode ?? stringOf(attributes['complianceMode']);
    const dataRegion = compliance?.region ?? stringOf(attributes['dataRegion']);
    const record: AuditRecord = {
      id: generateId(),
      requestId: context.requestId,
      timestamp,
      expiresAt: retentionDays === undefined ? null : timestamp + retentionDays * DAY_MS,
      level,
      mode: context.mode,
      outcome: report.outcome,
      ...(report.error ? { errorCode: report.error.code } : {}),
      ...(principal?.userId ?? context.userId ? { userId: principal?.userId ?? context.userId } : {}),
      ...(principal?.organizationId ? { organizationId: principal.organizationId } : {}),
      ...(principal?.workspaceId ? { workspaceId: principal.workspaceId } : {}),
      ...(planOf(principal) ? { tier: planOf(principal) } : {}),
      ...(complianceMode && complianceMode !== 'none' ? { complianceMode } : {}),
      ...(dataRegion ? { dataRegion } : {}),
      models: report.calls.map((call) => call.attempt.modelId),
      ...(report.answer ? { answerModel: report.answer.modelId } : {}),
      usage: { inputTokens: report.usage.inputTokens, outputTokens: report.usage.outputTokens },
      costUsd: report.costUsd,
      durationMs: Math.max(0, report.endedAt - report.startedAt),
    };
    if (level === 'minimal') return record;
    record.calls = report.calls.map(({ attempt }) => ({
      modelId: attempt.modelId, tier: attempt.tier, status: attempt.status, costUsd: attempt.costUsd, latencyMs: attempt.latencyMs,
      ...(attempt.quality ? { score: attempt.quality.score } : {}),
      ...(attempt.error ? { errorCode: attempt.error.code } : {}),
    }));
    if (report.routing) record.startTier = report.routing.startTier;
    if (report.answer) {
      record.baselineCostUsd = report.answer.baselineCostUsd;
      record.savings = report.answer.savings;
    }
    record.guardrails = [
      ...report.inputFindings.map((finding) => ({ phase: 'input' as const, guard: finding.guard, type: finding.type, action: finding.action })),
      ...report.outputFindings.map((finding) => ({ phase: 'output' as const, guard: finding.guard, type: finding.type, action: finding.action })),
    ];
    // The trail's own admission (a queue slot) is not a limit decision.
    record.limits = report.admissions.filter((admission) => admission.middleware !== options.name).map((admission) => ({
      middleware: admission.middleware, allowed: admission.allowed,
      ...(admission.code ? { code: admission.code } : {}),
      ...(admission.reason ? { reason: admission.reason } : {}),
    }));
    if (level === 'comprehensive' && redact) {
      record.prompt = context.request.messages.map((message) => ({ role: message.role, content: redact(messageText(message)) }));
      if (report.answer) record.answer = redact(report.answer.text);
    }
    return record;
  }

  return {
    middleware,
    flush,
    async close(callOptions) {
      closed = true;
      await flush(callOptions);
    },
    async purge(callOptions) {
      return store.purgeExpired(now(), callOptions);
    },
    async exportUser(userId, callOptions) {
      await flush(callOptions);
      return store.listByUser(userId, callOptions);
    },
    async eraseUser(userId, callOptions) {
      await flush(callOptions);
      return store.deleteByUser(userId, callOptions);
    },
    stats: () => ({ pending: queue.length, reserved, written, failedWrites, dropped, refused }),
  };
}

function levelOf(value: unknown): AuditLevel | 'none' | undefined {
  return value === 'none' || value === 'minimal' || value === 'standard' || value === 'comprehensive' ? value : undefined;
}
function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
