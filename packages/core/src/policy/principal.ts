import { z } from 'zod';

/** Who is asking. Produced by a resolver middleware (profiles); read by limits, guardrails, cost tracking. */
export const principalSchema = z.strictObject({
  userId: z.string().min(1),
  organizationId: z.string().min(1).optional(),
  workspaceId: z.string().min(1).optional(),
  /** Subscription tier name (free, starter, pro, business, enterprise, or a custom one). */
  tier: z.string().min(1).optional(),
  roles: z.array(z.string()).readonly().optional(),
  /** Opaque extra facts for custom middleware. */
  attributes: z.record(z.string(), z.unknown()).optional(),
});

/** Who is asking. */
export type Principal = z.output<typeof principalSchema>;
