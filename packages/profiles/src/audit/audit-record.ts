import { z } from 'zod';

/** How much an audit record holds: `minimal` ids, models, tokens, cost, outcome; `standard` + decisions, guardrail findings, limit decisions; `comprehensive` + the redacted prompt and answer. */
export const auditLevelSchema = z.enum(['minimal', 'standard', 'comprehensive']);
export type AuditLevel = z.output<typeof auditLevelSchema>;

const usage = z.strictObject({ inputTokens: z.number(), outputTokens: z.number() });

/** One model call, as audited (`standard` and up). */
export const auditCallSchema = z.strictObject({
  modelId: z.string(),
  tier: z.number(),
  status: z.string(),
  costUsd: z.number(),
  latencyMs: z.number(),
  score: z.number().optional(),
  errorCode: z.string().optional(),
});

/** A guardrail finding, as audited: what and where, never the matched value. */
export const auditFindingSchema = z.strictObject({
  phase: z.enum(['input', 'output']),
  guard: z.string(),
  type: z.string(),
  action: z.string(),
});

/** A limit decision, as audited. */
export const auditLimitSchema = z.strictObject({
  middleware: z.string(),
  allowed: z.boolean(),
  code: z.string().optional(),
  reason: z.string().optional(),
});

/**
 * One append-only audit record per request. Stores keep it as JSON; `id` is unique per record (retried
 * appends are idempotent), `expiresAt` (epoch ms) is when the retention purge removes it (`null`: kept).
 */
export const auditRecordSchema = z.strictObject({
  id: z.string().min(1),
  requestId: z.string(),
  /** Epoch ms when the request started. */
  timestamp: z.number(),
  expiresAt: z.number().nullable(),
  level: auditLevelSchema,
  mode: z.string(),
  outcome: z.enum(['success', 'error', 'aborted', 'denied']),
  errorCode: z.string().optional(),
  userId: z.string().optional(),
  organizationId: z.string().optional(),
  workspaceId: z.string().optional(),
  tier: z.string().optional(),
  complianceMode: z.string().optional(),
  dataRegion: z.string().optional(),
  /** Every model called, in order. */
  models: z.array(z.string()),
  /** The model whose answer was returned. */
  answerModel: z.string().optional(),
  usage,
  costUsd: z.number(),
  durationMs: z.number(),
  // standard
  calls: z.array(auditCallSchema).optional(),
  startTier: z.number().optional(),
  baselineCostUsd: z.number().optional(),
  savings: z.number().optional(),
  guardrails: z.array(auditFindingSchema).optional(),
  limits: z.array(auditLimitSchema).optional(),
  // comprehensive
  /** The prompt as the models saw it, after input guards (PII redacted). */
  prompt: z.array(z.strictObject({ role: z.string(), content: z.string() })).optional(),
  /** The answer as the caller got it, after output guards (PII redacted). */
  answer: z.string().optional(),
});
export type AuditRecord = z.output<typeof auditRecordSchema>;
