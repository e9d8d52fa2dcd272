import { CascadeError } from '../errors/cascade-error';
import { toCascadeError } from '../errors/to-cascade-error';
import type { ToolCall } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import { type AgentPolicy, isFeatureEnabled } from '../policy/agent-policy';
import { mergePolicies } from '../policy/merge-policy';
import { enforceCompliance } from '../policy/compliance';
import { type Principal, planOf } from '../policy/principal';
import { throwIfAborted } from '../util/abort';
import type {
  CascadeMiddleware, GuardFinding, GuardVerdict, GuardedStreamPart, PipelineContext, PipelineMode, RequestEstimate, Reservation, SettleInfo,
} from './middleware';
import type { AdmissionRecord, RequestOutcome, RequestReport } from './request-report';
import { enforcedSections, unenforcedPolicyMessages } from './unenforced-policy';

/** What starts one request through the pipeline. */
export interface PipelineInit {
  requestId: string;
  mode: PipelineMode;
  userId?: string;
  principal?: Principal;
  /** Layers applied in order before resolvers run (agent defaults, then the caller's). */
  policy?: AgentPolicy;
  /** Applied after resolvers, narrowing only for models (see `mergePolicies`). */
  policyOverride?: AgentPolicy;
  request: ChatRequest;
  abortSignal?: AbortSignal;
  /** Computes the pre-flight estimate once the policy is known. */
  estimate: (policy: AgentPolicy, request: ChatRequest) => RequestEstimate;
}

/** A request that passed resolve, admit and input guards. Call `settle` exactly once (it is idempotent). */
export interface AdmittedRequest {
  readonly context: PipelineContext;
  /** What the input guards found (the request in `context` is already redacted). */
  readonly inputFindings: readonly GuardFinding[];
  /** Non-fatal notes from admission (e.g. a limit in warn mode). */
  readonly warnings: readonly string[];
  /** Runs output guards over a whole answer; throws `GUARDRAIL_BLOCKED` on a block. */
  guardOutput(text: string): Promise<{ text: string; findings: GuardFinding[] }>;
  /** Runs tool-argument guards; a block is data (`blocked` says why), never a throw: the loop tells the model. */
  guardToolArguments(call: ToolCall): Promise<GuardedToolText>;
  /** Runs tool-result guards; a block is data (`blocked` says why): the loop withholds the result. */
  guardToolResult(call: ToolCall, content: string): Promise<GuardedToolText>;
  /** Runs stream guards over text deltas; yields text and guardrail events. */
  guardStream(deltas: AsyncIterable<string>): AsyncIterable<GuardedStreamPart>;
  /** True when any middleware guards streams (drivers may skip `guardStream` otherwise). */
  readonly hasStreamGuards: boolean;
  /** Settles every reservation with what was consumed. Safe to call more than once; only the first counts. */
  settle(info: SettleInfo): Promise<void>;
  /** Epoch ms when the request entered the pipeline. */
  readonly startedAt: number;
  /** Admission decisions taken (limits, budgets). */
  readonly admissions: readonly AdmissionRecord[];
  /** True when some middleware has an `onEnd` hook (drivers may skip building a report otherwise). */
  readonly hasEndHooks: boolean;
  /** Gives the report of how the request ended to every `onEnd` hook. Only the first call counts. */
  end(report: Omit<RequestReport, 'context' | 'startedAt' | 'admissions' | 'inputFindings'>): void;
}

/** Tool arguments or a tool result after the guards: the text to use, what was found, and why it was blocked, if it was. */
export interface GuardedToolText {
  text: string;
  findings: GuardFinding[];
  blocked?: string;
}

/** The request pipeline every entry point (run, stream, batch) goes through. */
export interface Pipeline {
  readonly middleware: readonly CascadeMiddleware[];
  begin(init: PipelineInit): Promise<AdmittedRequest>;
}

interface MutableContext {
  requestId: string;
  mode: PipelineMode;
  userId: string | undefined;
  principal: Principal | undefined;
  policy: AgentPolicy;
  request: ChatRequest;
  estimate: RequestEstimate;
  abortSignal: AbortSignal | undefined;
  state: Map<string, unknown>;
}

const NO_ESTIMATE: RequestEstimate = Object.freeze({ inputTokens: 0, maxOutputTokens: 0, costUsd: 0 });

/**
 * Builds the pipeline from middleware: resolve → admit (reserve) → guard input, then on the way out
 * guard output/stream and settle. A reservation is settled on every path: success, error, block, abort.
 *
 * @example
 * const pipeline = createPipeline([profiles, limits, guardrails]);
 * const admitted = await pipeline.begin({ requestId, mode: 'run', userId, request, estimate });
 * try { ... } finally { await admitted.settle({ usage, costUsd, outcome }) }
 */
export function createPipeline(middleware: readonly CascadeMiddleware[] = []): Pipeline {
  const resolvers = middleware.filter((m) => m.resolve);
  const admitters = middleware.filter((m) => m.admit);
  const inputGuards = middleware.filter((m) => m.guardInput);
  const outputGuards = middleware.filter((m) => m.guardOutput);
  const streamGuards = middleware.filter((m) => m.guardStream);
  const endHooks = middleware.filter((m) => m.onEnd);

  function notifyEnd(report: RequestReport): void {
    for (const hook of endHooks) {
      try {
        hook.onEnd!(report);
      } catch {
        // An observer can never fail the request it observes.
      }
    }
  }
  const toolArgumentGuards = middleware.filter((m) => m.guardToolArguments);
  const toolResultGuards = middleware.filter((m) => m.guardToolResult);
  const enforced = enforcedSections(middleware);

  async function begin(init: PipelineInit): Promise<AdmittedRequest> {
    const startedAt = Date.now();
    const admissions: AdmissionRecord[] = [];
    const context: MutableContext = {
      requestId: init.requestId,
      mode: init.mode,
      userId: init.userId ?? init.principal?.userId,
      principal: init.principal,
      policy: init.policy ?? {},
      request: init.request,
      estimate: NO_ESTIMATE,
      abortSignal: init.abortSignal,
      state: new Map(),
    };
    try {
      return await admit(init, context, startedAt, admissions);
    } catch (error) {
      if (endHooks.length > 0) {
        const typed = toCascadeError(error);
        notifyEnd({
          context, outcome: outcomeOf(typed), startedAt, endedAt: Date.now(), error: typed, admissions,
          inputFindings: findingsOf(typed), outputFindings: [], calls: [], usage: { inputTokens: 0, outputTokens: 0, source: 'provider' }, costUsd: 0, warnings: [],
        });
      }
      throw error;
    }
  }

  async function admit(init: PipelineInit, context: MutableContext, startedAt: number, admissions: AdmissionRecord[]): Promise<AdmittedRequest> {
    const signal = init.abortSignal;
    for (const resolver of resolvers) {
      throwIfAborted(signal, 'The request');
      const resolved = await callHook(resolver, 'resolve', () => resolver.resolve!(context));
      if (resolved?.principal) context.principal = resolved.principal;
      if (resolved?.policy) context.policy = mergePolicies(context.policy, resolved.policy);
    }
    if (init.policyOverride) context.policy = mergePolicies(context.policy, init.policyOverride);
    const compliance = context.policy.compliance;
    if (compliance) {
      context.policy = enforceCompliance(context.policy);
      if (inputGuards.length === 0 || outputGuards.length === 0) {
        throw new CascadeError('INVALID_CONFIG', `Compliance mode ${compliance.mode} requires PII redaction of input and output, but no middleware guards ${inputGuards.length === 0 ? 'input' : 'output'}. Add the guardrails middleware (createGuardrailsMiddleware) to the agent.`, {
          details: { complianceMode: compliance.mode },
        });
      }
    }
    if (context.mode === 'batch' && !isFeatureEnabled(context.policy, 'batch')) {
      throw new CascadeError('FEATURE_NOT_ALLOWED', `Batch requests are not part of ${planOf(context.principal) ? `the ${planOf(context.principal)} plan` : 'this policy'}. Send the requests one by one, or upgrade to a plan with batch.`, {
        details: { feature: 'batch', userId: context.principal?.userId ?? context.userId },
      });
    }
    context.estimate = init.estimate(context.policy, context.request);

    const reservations: Reservation[] = [];
    const warnings: string[] = unenforcedPolicyMessages(context.policy, enforced);
    let settled = false;
    const settle = async (info: SettleInfo): Promise<void> => {
      if (settled) return;
      settled = true;
      const failures: unknown[] = [];
      for (let index = reservations.length - 1; index >= 0; index--) {
        try {
          await reservations[index]!.settle(info);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) {
        throw new CascadeError('STORE_FAILED', `Settling ${failures.length} reservation(s) failed; usage may be under-counted. Check the limits store.`, {
          cause: failures.length === 1 ? failures[0] : new AggregateError(failures),
          retryable: true,
        });
      }
    };
    const release = async (): Promise<void> => {
      // Nothing was consumed: free everything. A failure here must not mask the original error.
      await settle({ usage: { inputTokens: 0, outputTokens: 0, source: 'provider' }, costUsd: 0, outcome: 'error' }).catch(() => undefined);
    };

    try {
      for (const admitter of admitters) {
        throwIfAborted(signal, 'The request');
        const decision = await callHook(admitter, 'admit', () => admitter.admit!(context));
        if (endHooks.length > 0) {
          admissions.push(decision.allowed
            ? { middleware: admitter.name, allowed: true, ...(decision.warnings?.length ? { warnings: decision.warnings } : {}) }
            : { middleware: admitter.name, allowed: false, code: decision.code, reason: decision.reason, ...(decision.retryAfterMs !== undefined ? { retryAfterMs: decision.retryAfterMs } : {}) });
        }
        if (!decision.allowed) {
          throw new CascadeError(decision.code, decision.reason, {
            retryable: decision.retryAfterMs !== undefined,
            ...(decision.retryAfterMs !== undefined ? { retryAfterMs: decision.retryAfterMs } : {}),
            details: { middleware: admitter.name, ...decision.details },
          });
        }
        if (decision.reservation) reservations.push(decision.reservation);
        if (decision.warnings) warnings.push(...decision.warnings);
      }
      const inputFindings: GuardFinding[] = [];
      for (const guard of inputGuards) {
        throwIfAborted(signal, 'The request');
        const verdict = await callHook(guard, 'guardInput', () => guard.guardInput!(context, context.request));
        if (verdict.findings) inputFindings.push(...verdict.findings);
        if (verdict.action === 'block') {
          throw new CascadeError('GUARDRAIL_BLOCKED', `The request was blocked by ${guard.name}: ${verdict.reason}`, {
            details: { middleware: guard.name, findings: verdict.findings },
          });
        }
        if (verdict.action === 'modify') context.request = verdict.value;
      }
      throwIfAborted(signal, 'The request');
      const frozenContext: PipelineContext = context;
      let ended = false;
      return {
        context: frozenContext,
        inputFindings,
        warnings,
        settle,
        startedAt,
        admissions,
        hasEndHooks: endHooks.length > 0,
        end: (report) => {
          if (ended || endHooks.length === 0) return;
          ended = true;
          notifyEnd({ ...report, context: frozenContext, startedAt, admissions, inputFindings });
        },
        hasStreamGuards: streamGuards.length > 0,
        guardOutput: (text) => guardOutput(frozenContext, text),
        guardToolArguments: (call) => guardTool(toolArgumentGuards, call.function.arguments, (guard, current) => guard.guardToolArguments!(frozenContext, { ...call, function: { ...call.function, arguments: current } })),
        guardToolResult: (call, content) => guardTool(toolResultGuards, content, (guard, current) => guard.guardToolResult!(frozenContext, call, current)),
        guardStream: (deltas) => guardStream(frozenContext, deltas),
      };
    } catch (error) {
      await release();
      throw error;
    }
  }

  async function guardOutput(context: PipelineContext, text: string): Promise<{ text: string; findings: GuardFinding[] }> {
    const findings: GuardFinding[] = [];
    let current = text;
    for (const guard of outputGuards) {
      const verdict = await callHook(guard, 'guardOutput', () => guard.guardOutput!(context, current));
      if (verdict.findings) findings.push(...verdict.findings);
      if (verdict.action === 'block') {
        throw new CascadeError('GUARDRAIL_BLOCKED', `The answer was blocked by ${guard.name}: ${verdict.reason}`, {
          details: { middleware: guard.name, findings: verdict.findings },
        });
      }
      if (verdict.action === 'modify') current = verdict.value;
    }
    return { text: current, findings };
  }

  async function guardTool(
    guards: readonly CascadeMiddleware[],
    text: string,
    run: (guard: CascadeMiddleware, current: string) => Promise<GuardVerdict<string>> | GuardVerdict<string>,
  ): Promise<GuardedToolText> {
    const findings: GuardFinding[] = [];
    let current = text;
    for (const guard of guards) {
      const verdict = await callHook(guard, 'guardTool', () => run(guard, current));
      if (verdict.findings) findings.push(...verdict.findings);
      if (verdict.action === 'block') return { text: current, findings, blocked: `${guard.name}: ${verdict.reason}` };
      if (verdict.action === 'modify') current = verdict.value;
    }
    return { text: current, findings };
  }

  function guardStream(context: PipelineContext, deltas: AsyncIterable<string>): AsyncIterable<GuardedStreamPart> {
    // Streams are hot paths: one guard reads the deltas directly (no chaining hops per chunk).
    if (streamGuards.length === 1) return streamGuards[0]!.guardStream!(context, deltas);
    let stream: AsyncIterable<GuardedStreamPart> = textParts(deltas);
    for (const guard of streamGuards) stream = chainGuard(context, guard, stream);
    return stream;
  }

  return { middleware, begin };
}

const DENIAL_CODES: ReadonlySet<string> = new Set(['RATE_LIMITED', 'BUDGET_EXCEEDED', 'GUARDRAIL_BLOCKED', 'FEATURE_NOT_ALLOWED', 'MODEL_NOT_ALLOWED']);

/** How a request that failed with `error` before any model call ended: `denied` for refusals, `aborted`, else `error`. */
export function outcomeOf(error: CascadeError): RequestOutcome {
  if (error.code === 'ABORTED' || error.code === 'TIMEOUT') return 'aborted';
  return DENIAL_CODES.has(error.code) ? 'denied' : 'error';
}

/** The findings a blocking guard attached to its error (never raw values: guards do not put them there). */
function findingsOf(error: CascadeError): GuardFinding[] {
  const findings = error.code === 'GUARDRAIL_BLOCKED' ? error.details?.['findings'] : undefined;
  return Array.isArray(findings) ? (findings as GuardFinding[]) : [];
}

async function* textParts(deltas: AsyncIterable<string>): AsyncGenerator<GuardedStreamPart> {
  for await (const text of deltas) yield { type: 'text', text };
}

/** Feeds the text of `source` through one stream guard, keeping upstream guardrail events in order. */
async function* chainGuard(
  context: PipelineContext,
  guard: CascadeMiddleware,
  source: AsyncIterable<GuardedStreamPart>,
): AsyncGenerator<GuardedStreamPart> {
  const pending: GuardedStreamPart[] = [];
  async function* texts(): AsyncGenerator<string> {
    for await (const part of source) {
      if (part.type === 'text') yield part.text;
      else pending.push(part);
    }
  }
  for await (const part of guard.guardStream!(context, texts())) {
    while (pending.length > 0) yield pending.shift()!;
    yield part;
  }
  while (pending.length > 0) yield pending.shift()!;
}

/** Runs a hook; anything it throws that is not already typed becomes a typed error naming the middleware. */
async function callHook<T>(middleware: CascadeMiddleware, hook: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (CascadeError.isInstance(error)) throw error;
    throw toCascadeError(error, 'STORE_FAILED', `Middleware "${middleware.name}" failed in ${hook}`);
  }
}
