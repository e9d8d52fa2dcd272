import {
  CascadeError,
  guardActionSchema,
  isFeatureEnabled,
  parseConfig,
  type CascadeMiddleware,
  type ChatMessage,
  type ChatRequest,
  type GuardAction,
  type GuardFinding,
  type GuardVerdict,
  type GuardedStreamPart,
  type GuardrailsPolicy,
  type PipelineContext,
} from '@cascade/core';
import { z } from 'zod';
import type { InjectionDetector } from '../injection/injection-detector';
import { createClassifierInjectionDetector } from '../injection/classifier-injection-detector';
import { createLocalModerator } from '../moderation/local-moderator';
import { moderationCategorySchema, type ModerationCategory } from '../moderation/moderation-category';
import type { Moderator } from '../moderation/moderator';
import { PII_DEFAULT_ACTIONS, type PiiDirection } from '../pii/direction-defaults';
import { piiConfigSchema, type PiiConfig } from '../pii/pii-config';
import { PII_ENTITY_TYPES, piiEntityTypeSchema, type PiiEntityType } from '../pii/pii-entity';
import { createPiiRedactor, type PiiRedactor } from '../pii/pii-redactor';
import { moderateStream, moderationFindings, streamModeratorConfigSchema } from '../stream/stream-moderator';
import { redactStream, streamRedactorConfigSchema } from '../stream/stream-redactor';
import { describeType, hasMethod } from '../util/require-input';
import { JudgedToolResults, guardToolArgumentsWith, guardToolResultWith, type ToolGuards, type ToolResultInjectionAction } from './tool-guards';

const piiDirectionSchema = z.strictObject({
  /** Action for every entity type without its own entry in this direction. */
  action: guardActionSchema.optional(),
  /** Per-entity-type actions in this direction, e.g. `{ URL: 'redact' }` on output. */
  actions: z.partialRecord(piiEntityTypeSchema, guardActionSchema).optional(),
});

/** Configuration of {@link createGuardrailsMiddleware}: defaults that a policy's `guardrails` overrides per request. */
export const guardrailsMiddlewareConfigSchema = z.strictObject({
  /** Middleware name (state key, logs). @default 'guardrails' */
  name: z.string().min(1).default('guardrails'),
  /**
   * PII detection and actions. Without `action`/`actions`, each direction takes its default
   * (`PII_DEFAULT_ACTIONS`: secrets and card/bank/SSN numbers redacted both ways, contact data on input
   * only); `action`/`actions` apply to both directions, `input`/`output` to one (README table).
   */
  pii: piiConfigSchema
    .extend({
      /** @default true */
      enabled: z.boolean().default(true),
      /** Action for every entity type without its own entry, both directions. @default per direction (`PII_DEFAULT_ACTIONS`) */
      action: guardActionSchema.optional(),
      /** Actions for the request (input guard) only, over `action`/`actions`' defaults. */
      input: piiDirectionSchema.optional(),
      /** Actions for answers (output and stream guards) only. */
      output: piiDirectionSchema.optional(),
    })
    .prefault({}),
  moderation: z
    .object({
      /** @default false (needs a moderator; the local baseline is used when none is given) */
      enabled: z.boolean().default(false),
      /** @default 'block' */
      action: z.enum(['block', 'warn']).default('block'),
      /** Categories that count; absent means all. */
      categories: z.array(moderationCategorySchema).optional(),
      /** Score threshold; absent uses the moderator's own flags. */
      threshold: z.number().min(0).max(1).optional(),
      /** Also moderate answers: whole ones and streams (see `stream.moderationHoldChars`). @default true */
      output: z.boolean().default(true),
    })
    .prefault({}),
  injection: z
    .object({
      /** @default true */
      enabled: z.boolean().default(true),
      /** @default 'block' */
      action: z.enum(['block', 'warn']).default('block'),
      /** @default 0.5 */
      threshold: z.number().min(0).max(1).default(0.5),
      /**
       * An injection in a tool result (indirect injection): `block` withholds the result (the model reads
       * a notice), `mark` passes it wrapped as untrusted data, `warn` passes it with a finding.
       * @default follows `action` (`block` → `block`, `warn` → `warn`)
       */
      toolResults: z.enum(['block', 'mark', 'warn']).optional(),
    })
    .prefault({}),
  /** Where guards run: input, whole answers, streams, tool-call arguments (PII, moderation), tool results (injection, moderation). @default all */
  applyTo: z
    .strictObject({
      input: z.boolean().default(true),
      output: z.boolean().default(true),
      stream: z.boolean().default(true),
      toolArguments: z.boolean().default(true),
      toolResults: z.boolean().default(true),
    })
    .prefault({}),
  /** Which messages the input guard scans for PII: the whole conversation or only the last user turn. @default 'conversation' */
  inputScope: z.enum(['conversation', 'last-user']).default('conversation'),
  /** Stream guards: PII redaction holds (`minHoldChars`, ...) and moderation holds (`moderationHoldChars`, `moderationContextChars`). */
  stream: streamRedactorConfigSchema.extend(streamModeratorConfigSchema.shape).prefault({}),
});

/** Middleware config as callers write it. */
export type GuardrailsMiddlewareConfig = z.input<typeof guardrailsMiddlewareConfigSchema>;
type ResolvedConfig = z.output<typeof guardrailsMiddlewareConfigSchema>;

/** Dependencies: a moderator (default: local baseline) and an injection detector (default: the trained classifier with the heuristics, `createClassifierInjectionDetector()`). */
export interface GuardrailsMiddlewareDependencies {
  moderator?: Moderator;
  injectionDetector?: InjectionDetector;
}

interface EffectiveGuards {
  /** One redactor per direction: the request (input) and answers (output and streams). */
  pii: Record<PiiDirection, PiiRedactor> | undefined;
  moderation: { action: 'block' | 'warn'; categories: readonly ModerationCategory[] | undefined; threshold: number | undefined; output: boolean } | undefined;
  injection: { action: 'block' | 'warn'; threshold: number; toolResults: ToolResultInjectionAction } | undefined;
  applyTo: { input: boolean; output: boolean; stream: boolean; toolArguments: boolean; toolResults: boolean };
  /** Identifies the policy (judged tool results are remembered per policy). */
  key: string;
}

const MAX_CACHED_POLICIES = 64;

const toolGuards = (guards: EffectiveGuards): ToolGuards => ({ pii: guards.pii?.output, moderation: guards.moderation, injection: guards.injection });

/**
 * The guardrails middleware for the core pipeline. `guardInput` blocks prompt injections and flagged
 * content and redacts PII before any model sees the request; `guardOutput` redacts (or blocks) a whole
 * answer; `guardStream` redacts and (with output moderation) moderates a stream as it flows and stops
 * it with a typed `guardrail` part when an entity's or a category's action is `block` — never a
 * silent truncation. In a tool loop, `guardToolArguments` redacts (or blocks) PII in a call's JSON
 * arguments before the tool runs and `guardToolResult` blocks, marks or warns on indirect prompt
 * injection in what the tool returned (see `injection.toolResults`), both moderated when moderation is on.
 *
 * The request's `policy.guardrails` (from a profile) overrides this config per request; the
 * `guardrails` feature flag set to `false` turns every guard off for that principal.
 *
 * @throws CascadeError `INVALID_CONFIG` at creation for a bad config, and at request time when a
 * policy names an unknown PII entity type or asks for `hash` without a `hashSalt`.
 * @example
 * const guardrails = createGuardrailsMiddleware({ pii: { actions: { CREDIT_CARD: 'block' } } });
 * const agent = createCascadeAgent({ models, middleware: [guardrails] });
 */
export function createGuardrailsMiddleware(config: GuardrailsMiddlewareConfig = {}, dependencies: GuardrailsMiddlewareDependencies = {}): CascadeMiddleware {
  const settings = parseConfig(guardrailsMiddlewareConfigSchema, config, 'guardrails middleware config');
  checkDependencies(dependencies);
  const moderator = dependencies.moderator ?? createLocalModerator();
  const injectionDetector = dependencies.injectionDetector ?? createClassifierInjectionDetector();
  const cache = new Map<string, EffectiveGuards>();
  const base = buildGuards(settings, undefined);
  const judged = new JudgedToolResults();

  const guardsFor = (context: PipelineContext): EffectiveGuards | undefined => {
    if (!isFeatureEnabled(context.policy, 'guardrails')) return undefined;
    const policy = context.policy?.guardrails;
    if (!policy) return base;
    const key = JSON.stringify(policy);
    let guards = cache.get(key);
    if (guards) {
      cache.delete(key);
      cache.set(key, guards);
      return guards;
    }
    guards = buildGuards(settings, policy, key);
    if (cache.size >= MAX_CACHED_POLICIES) cache.delete(cache.keys().next().value!);
    cache.set(key, guards);
    return guards;
  };

  // The stream settings hold both guards' options; each strict schema gets only its own keys.
  const { moderationHoldChars, moderationContextChars, ...redactorSettings } = settings.stream;
  const moderatorSettings = { moderationHoldChars, moderationContextChars };

  return {
    name: settings.name,
    enforces: ['guardrails'],

    async guardInput(context, request): Promise<GuardVerdict<ChatRequest>> {
      const guards = guardsFor(context);
      if (!guards?.applyTo.input) return { action: 'allow' };
      const findings: GuardFinding[] = [];
      const abortSignal = context.abortSignal;

      if (guards.injection) {
        const systemPrompt = request.messages.filter((message) => message.role === 'system' || message.role === 'developer').map(textOf).join('\n');
        for (const message of request.messages) {
          if (message.role !== 'user' && message.role !== 'tool') continue;
          // A tool result the tool-result guard already let through (marked or warned) is not judged again.
          if (message.role === 'tool' && judged.has(guards.key, textOf(message))) continue;
          const verdict = await injectionDetector.detect({ text: textOf(message), systemPrompt, source: message.role === 'tool' ? 'tool' : 'user' }, { abortSignal });
          if (verdict.score < guards.injection.threshold) continue;
          const names = [...new Set(verdict.signals.map((signal) => signal.name))];
          findings.push({ guard: 'injection', type: names[0] ?? 'injection', action: guards.injection.action, score: verdict.score, detail: `${verdict.detector}: ${names.join(', ')}` });
          if (guards.injection.action === 'block') {
            return { action: 'block', reason: `Prompt injection detected (${names.join(', ')}; score ${verdict.score}). Rephrase the request without instructions aimed at the assistant.`, findings };
          }
        }
      }

      if (guards.moderation) {
        const text = lastUserMessageText(request.messages);
        if (text.length > 0) {
          const blocked = await moderate(moderator, text, guards.moderation, findings, abortSignal);
          if (blocked) return { action: 'block', reason: blocked, findings };
        }
      }

      if (guards.pii) {
        const redactor = guards.pii.input;
        const lastUser = lastUserIndex(request.messages);
        let changed = false;
        const messages = request.messages.map((message, index): ChatMessage => {
          if (message.role === 'system' || message.role === 'developer') return message;
          if (settings.inputScope === 'last-user' && index !== lastUser) return message;
          if (typeof message.content === 'string') {
            const result = redactor.redact(message.content);
            findings.push(...result.findings.map((finding) => ({ ...finding, detail: joinDetail(finding.detail, `message ${index}`) })));
            if (result.text !== message.content) changed = true;
            return result.text === message.content ? message : { ...message, content: result.text };
          }
          const parts = message.content.map((part, partIndex) => {
            // Images and files carry no text to redact; they pass as they are.
            if (part.type !== 'text') return part;
            const result = redactor.redact(part.text);
            findings.push(...result.findings.map((finding) => ({ ...finding, detail: joinDetail(finding.detail, `message ${index} part ${partIndex}`) })));
            if (result.text !== part.text) changed = true;
            return result.text === part.text ? part : { ...part, text: result.text };
          });
          return { ...message, content: parts };
        });
        const blocking = findings.filter((finding) => finding.guard === 'pii' && finding.action === 'block');
        if (blocking.length > 0) {
          return { action: 'block', reason: `The request contains ${[...new Set(blocking.map((finding) => finding.type))].join(', ')}, which the policy blocks. Remove it and retry.`, findings };
        }
        if (changed) return { action: 'modify', value: { ...request, messages }, findings };
      }
      return findings.length > 0 ? { action: 'allow', findings } : { action: 'allow' };
    },

    async guardToolArguments(context, call): Promise<GuardVerdict<string>> {
      const guards = guardsFor(context);
      if (!guards?.applyTo.toolArguments) return { action: 'allow' };
      // Arguments are the model's output on their way to a tool: output defaults (a fetch tool keeps its URL).
      return guardToolArgumentsWith(toolGuards(guards), moderator, context, call);
    },

    async guardToolResult(context, call, content): Promise<GuardVerdict<string>> {
      const guards = guardsFor(context);
      if (!guards?.applyTo.toolResults) return { action: 'allow' };
      return guardToolResultWith(toolGuards(guards), { moderator, injectionDetector, judged, policyKey: guards.key }, context, call, content);
    },

    async guardOutput(context, text): Promise<GuardVerdict<string>> {
      const guards = guardsFor(context);
      if (!guards?.applyTo.output) return { action: 'allow' };
      const findings: GuardFinding[] = [];
      if (guards.moderation?.output) {
        const blocked = await moderate(moderator, text, guards.moderation, findings, context.abortSignal);
        if (blocked) return { action: 'block', reason: blocked, findings };
      }
      if (guards.pii) {
        const result = guards.pii.output.redact(text);
        findings.push(...result.findings);
        if (result.blocked) {
          return { action: 'block', reason: `The answer contains ${[...new Set(result.findings.filter((finding) => finding.action === 'block').map((finding) => finding.type))].join(', ')}, which the policy blocks.`, findings };
        }
        if (result.text !== text) return { action: 'modify', value: result.text, findings };
      }
      return findings.length > 0 ? { action: 'allow', findings } : { action: 'allow' };
    },

    async *guardStream(context, deltas): AsyncIterable<GuardedStreamPart> {
      const guards = guardsFor(context);
      const moderation = guards?.moderation?.output ? guards.moderation : undefined;
      if (!guards?.applyTo.stream || (!guards.pii && !moderation)) {
        for await (const delta of deltas) yield { type: 'text', text: delta };
        return;
      }
      const options = { abortSignal: context.abortSignal };
      if (!moderation) {
        yield* redactStream(deltas, guards.pii!.output, redactorSettings, options);
        return;
      }
      // PII first: the moderator (maybe a remote API) only sees redacted text, the text the client gets.
      const redacted = guards.pii ? redactStream(deltas, guards.pii.output, redactorSettings, options) : deltas;
      yield* moderateStream(redacted, moderator, moderation, moderatorSettings, options);
    },
  };
}

function checkDependencies(dependencies: unknown): asserts dependencies is GuardrailsMiddlewareDependencies {
  const { moderator, injectionDetector } = typeof dependencies === 'object' && dependencies !== null ? (dependencies as Record<string, unknown>) : {};
  if (typeof dependencies !== 'object' || dependencies === null || (moderator !== undefined && !hasMethod(moderator, 'moderate')) || (injectionDetector !== undefined && !hasMethod(injectionDetector, 'detect'))) {
    throw new CascadeError('INVALID_CONFIG', `createGuardrailsMiddleware expects its second argument as { moderator?, injectionDetector? } (objects with moderate() and detect()), got ${describeType(dependencies)}${typeof dependencies === 'object' && dependencies !== null ? ' with a member of the wrong type' : ''}.`);
  }
}

function buildGuards(settings: ResolvedConfig, policy: GuardrailsPolicy | undefined, key = ''): EffectiveGuards {
  const piiEnabled = policy?.pii?.enabled ?? settings.pii.enabled;
  let pii: EffectiveGuards['pii'];
  if (piiEnabled) {
    const { enabled: _enabled, action: _action, actions: _actions, input: _input, output: _output, ...piiSettings } = settings.pii;
    const base: PiiConfig = { ...piiSettings };
    if (policy?.pii?.entities) base.entities = validEntities(policy.pii.entities);
    const policyActions = policy?.pii?.actions ? validActions(policy.pii.actions) : {};
    const input = createPiiRedactor({ ...base, actions: directionActions(settings, 'input', policy?.pii?.action, policyActions) });
    const output = createPiiRedactor({ ...base, actions: directionActions(settings, 'output', policy?.pii?.action, policyActions) });
    pii = { input, output };
  }
  const moderationEnabled = policy?.moderation?.enabled ?? settings.moderation.enabled;
  const injectionEnabled = policy?.injection?.enabled ?? settings.injection.enabled;
  return {
    pii,
    moderation: moderationEnabled
      ? {
          action: policy?.moderation?.action ?? settings.moderation.action,
          categories: policy?.moderation?.categories ? validCategories(policy.moderation.categories) : settings.moderation.categories,
          threshold: policy?.moderation?.threshold ?? settings.moderation.threshold,
          output: settings.moderation.output,
        }
      : undefined,
    injection: injectionEnabled ? injectionGuard(settings, policy) : undefined,
    applyTo: { ...settings.applyTo, ...(policy?.applyTo ?? {}) },
    key,
  };
}

function injectionGuard(settings: ResolvedConfig, policy: GuardrailsPolicy | undefined): NonNullable<EffectiveGuards['injection']> {
  const action = policy?.injection?.action ?? settings.injection.action;
  return {
    action,
    threshold: policy?.injection?.threshold ?? settings.injection.threshold,
    // A policy that only says `action: 'warn'` warns on tool results too, unless it names their action.
    toolResults: policy?.injection?.toolResults ?? (policy?.injection?.action !== undefined ? action : (settings.injection.toolResults ?? action)),
  };
}

/**
 * Every entity type's action in one direction. A type's own entry beats a catch-all `action`; at the same
 * level the policy beats the config and a direction's entry beats the both-ways one; the direction's
 * default (`PII_DEFAULT_ACTIONS`) applies only where nobody said anything.
 */
function directionActions(
  settings: ResolvedConfig,
  direction: PiiDirection,
  policyAction: GuardAction | undefined,
  policyActions: Partial<Record<PiiEntityType, GuardAction>>,
): Record<PiiEntityType, GuardAction> {
  const own = settings.pii[direction];
  const fallback = policyAction ?? own?.action ?? settings.pii.action;
  const result = {} as Record<PiiEntityType, GuardAction>;
  for (const type of PII_ENTITY_TYPES) {
    result[type] = policyActions[type] ?? own?.actions?.[type] ?? settings.pii.actions[type] ?? fallback ?? PII_DEFAULT_ACTIONS[direction][type];
  }
  return result;
}

function validEntities(entities: readonly string[]): PiiEntityType[] {
  return entities.map((entity) => {
    const parsed = piiEntityTypeSchema.safeParse(entity);
    if (!parsed.success) {
      throw new CascadeError('INVALID_CONFIG', `policy.guardrails.pii.entities names "${entity}", which @cascade/guardrails does not detect. Use one of: ${PII_ENTITY_TYPES.join(', ')}.`);
    }
    return parsed.data;
  });
}

function validActions(actions: Readonly<Record<string, string>>): Partial<Record<PiiEntityType, z.output<typeof guardActionSchema>>> {
  const result: Partial<Record<PiiEntityType, z.output<typeof guardActionSchema>>> = {};
  for (const [entity, action] of Object.entries(actions)) {
    const [type] = validEntities([entity]);
    result[type!] = guardActionSchema.parse(action);
  }
  return result;
}

function validCategories(categories: readonly string[]): ModerationCategory[] {
  return categories.map((category) => {
    const parsed = moderationCategorySchema.safeParse(category);
    if (!parsed.success) throw new CascadeError('INVALID_CONFIG', `policy.guardrails.moderation.categories names "${category}". Use OpenAI's categories: ${moderationCategorySchema.options.join(', ')}.`);
    return parsed.data;
  });
}

async function moderate(
  moderator: Moderator,
  text: string,
  settings: NonNullable<EffectiveGuards['moderation']>,
  findings: GuardFinding[],
  abortSignal: AbortSignal | undefined,
): Promise<string | undefined> {
  const hits = moderationFindings(await moderator.moderate(text, { abortSignal }), settings);
  findings.push(...hits);
  if (hits.length === 0 || settings.action !== 'block') return undefined;
  return `Content flagged by moderation (${hits.map((hit) => hit.type).join(', ')}). Rephrase the request.`;
}

function textOf(message: ChatMessage): string {
  return typeof message.content === 'string' ? message.content : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) if (messages[index]!.role === 'user') return index;
  return -1;
}

function lastUserMessageText(messages: readonly ChatMessage[]): string {
  const index = lastUserIndex(messages);
  return index < 0 ? '' : textOf(messages[index]!);
}

function joinDetail(detail: string | undefined, where: string): string {
  return detail ? `${detail}; ${where}` : where;
}
