import { CascadeError, modelPriceSchema } from '@cascade/core';
import { z } from 'zod';

/** Where answers come from: recorded traces (offline, the default) or live OpenAI-compatible models. */
export type ProviderConfig =
  | { kind: 'replay'; traceFiles: readonly string[]; speedup: number | false }
  | { kind: 'live'; modelIds: readonly string[]; baseURL: string | undefined; apiKey: string | undefined; prices: Readonly<Record<string, z.output<typeof modelPriceSchema>>> };

const modelListSchema = z
  .string()
  .transform((value) => value.split(',').map((id) => id.trim()).filter((id) => id.length > 0))
  .pipe(z.array(z.string().min(1)).min(1, 'list at least one model id, cheapest first'));

/** The environment variables the demo reads. Secrets are kept as given and never printed. */
export const demoEnvSchema = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Model ids, cheapest first, e.g. `gpt-4o-mini,gpt-4o`. */
  CASCADE_MODELS: modelListSchema.optional(),
  /** Prices of models missing from core's table, JSON: `{"llama3.1:8b":{"inputUsdPerMTok":0,"outputUsdPerMTok":0}}`. */
  CASCADE_PRICES: z.string().optional(),
});

const DEFAULT_LIVE_MODELS = ['gpt-4o-mini', 'gpt-4o'];

function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(demoEnvSchema.shape)) {
    const value = env[key];
    out[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  return out;
}

/**
 * Chooses the provider: live when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set (models from
 * `CASCADE_MODELS`, default `gpt-4o-mini,gpt-4o` for OpenAI itself), else replay of `traceFiles`.
 *
 * @throws CascadeError `INVALID_CONFIG` naming the bad variable (never echoing a key).
 */
export function providerFromEnv(env: NodeJS.ProcessEnv, replay: { traceFiles: readonly string[]; speedup: number | false }): ProviderConfig {
  const parsed = demoEnvSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new CascadeError('INVALID_CONFIG', `Invalid environment for live models (${fields}).`, { cause: parsed.error });
  }
  const vars = parsed.data;
  if (!vars.OPENAI_API_KEY && !vars.OPENAI_BASE_URL) return { kind: 'replay', ...replay };
  if (vars.OPENAI_BASE_URL && !vars.CASCADE_MODELS) {
    throw new CascadeError('INVALID_CONFIG', 'OPENAI_BASE_URL is set but CASCADE_MODELS is not: list the server\'s model ids, cheapest first, e.g. CASCADE_MODELS=llama3.2:3b,llama3.1:70b.');
  }
  let prices: Record<string, z.output<typeof modelPriceSchema>> = {};
  if (vars.CASCADE_PRICES) {
    let json: unknown;
    try {
      json = JSON.parse(vars.CASCADE_PRICES);
    } catch (error) {
      throw new CascadeError('INVALID_CONFIG', 'CASCADE_PRICES is not valid JSON: write {"<model id>":{"inputUsdPerMTok":0.1,"outputUsdPerMTok":0.2}}.', { cause: error });
    }
    const table = z.record(z.string().min(1), modelPriceSchema).safeParse(json);
    if (!table.success) throw new CascadeError('INVALID_CONFIG', `CASCADE_PRICES: ${z.prettifyError(table.error)}`, { cause: table.error });
    prices = table.data;
  }
  return { kind: 'live', modelIds: vars.CASCADE_MODELS ?? DEFAULT_LIVE_MODELS, baseURL: vars.OPENAI_BASE_URL, apiKey: vars.OPENAI_API_KEY, prices };
}
