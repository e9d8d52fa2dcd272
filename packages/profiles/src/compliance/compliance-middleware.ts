import { type CascadeMiddleware, type CompliancePolicy, parseConfig } from '@cascade/core';
import { z } from 'zod';
import { complianceModeSchema } from '../profile/profile-schema';

/** Compliance modes that change behaviour by default. */
export const ACTING_COMPLIANCE_MODES = ['hipaa', 'gdpr'] as const;

/** Configuration of {@link createComplianceMiddleware}. */
export const complianceConfigSchema = z.strictObject({
  /** Middleware name. @default 'compliance' */
  name: z.string().min(1).default('compliance'),
  /**
   * The operator's word on each model: the modes it is compliant for (a signed BAA for `hipaa`, a DPA
   * for `gdpr`, a local model, ...) and, optionally, the data regions it processes data in. A model
   * missing here is compliant for no mode. A model with `regions` serves only users whose organization's
   * `dataRegion` is one of them (a user with no region is not served by it).
   */
  models: z.record(z.string().min(1), z.strictObject({
    modes: z.array(complianceModeSchema).min(1),
    regions: z.array(z.string().min(1)).min(1).optional(),
  })),
  /** The modes that act. @default ['hipaa', 'gdpr'] */
  modes: z.array(complianceModeSchema).min(1).default([...ACTING_COMPLIANCE_MODES]),
  /** Longest retention of stored request data (audit records) per mode, in days. @default { hipaa: 30, gdpr: 30 } */
  maxRetentionDays: z.partialRecord(complianceModeSchema, z.number().int().nonnegative()).default({ hipaa: 30, gdpr: 30 }),
});
export type ComplianceConfig = z.input<typeof complianceConfigSchema>;

/**
 * Makes a profile's `complianceMode` (`hipaa`, `gdpr`) and its organization's `dataRegion` act. Put it
 * after the profiles middleware (it reads the principal's attributes) and with a guardrails middleware
 * in the agent. For a request under an acting mode it sets `policy.compliance`, and then:
 * - only models the operator marked compliant for the mode (and region) are called; when no configured
 *   model is, the request fails with `MODEL_NOT_ALLOWED` naming the mode and region before any call;
 * - PII detection is forced on for input, output and streams with no action weaker than `redact`
 *   (a profile or caller cannot turn it off); without input and output guards the request fails with
 *   `INVALID_CONFIG`;
 * - audit records are kept at most `maxRetentionDays[mode]` days, and hold only redacted text;
 * - telemetry records no prompt or answer content and no user ids; the learning judge is not called.
 *
 * @example
 * const compliance = createComplianceMiddleware({ models: { 'llama-local': { modes: ['hipaa', 'gdpr'] }, 'gpt-4o': { modes: ['gdpr'], regions: ['eu'] } } });
 * const agent = createCascadeAgent({ models, middleware: [profiles, compliance, limits, guardrails] });
 */
export function createComplianceMiddleware(config: ComplianceConfig): CascadeMiddleware {
  const options = parseConfig(complianceConfigSchema, config, 'createComplianceMiddleware config');
  const acting = new Set<string>(options.modes);
  return {
    name: options.name,
    resolve(context) {
      const attributes = context.principal?.attributes;
      const mode = attributes?.['complianceMode'];
      if (typeof mode !== 'string' || !acting.has(mode)) return undefined;
      const region = typeof attributes?.['dataRegion'] === 'string' ? (attributes['dataRegion'] as string) : undefined;
      const models = Object.entries(options.models)
        .filter(([, entry]) => (entry.modes as string[]).includes(mode) && (!entry.regions || (region !== undefined && entry.regions.includes(region))))
        .map(([modelId]) => modelId);
      const maxRetentionDays = options.maxRetentionDays[mode as keyof typeof options.maxRetentionDays];
      const compliance: CompliancePolicy = {
        mode,
        ...(region !== undefined ? { region } : {}),
        models,
        ...(maxRetentionDays !== undefined ? { maxRetentionDays } : {}),
      };
      return { policy: { compliance } };
    },
  };
}
