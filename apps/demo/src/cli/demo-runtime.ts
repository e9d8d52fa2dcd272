import { UserProfile } from '@cascade/profiles';
import { type DemoAgent, type DemoAgentOptions, createDemoAgent } from '../agent/create-demo-agent';
import { type DemoModels, createDemoModels } from '../agent/demo-models';
import type { ProviderConfig } from '../config/provider-config';
import { type DemoObservability, openDemoObservability } from '../observability/demo-observability';
import { type DemoStorage, openDemoStorage } from '../users/demo-storage';

/** The agent on the demo's storage (profiles, keys, usage and the learned state), for `ask`, `batch` and `serve`. */
export interface DemoRuntime {
  readonly demo: DemoAgent;
  readonly models: DemoModels;
  readonly database: DemoStorage;
  /** OpenTelemetry and the audit trail. */
  readonly observability: DemoObservability;
  /** Saves the learned state, flushes audit records and telemetry, writes queued usage and closes the storage. */
  close(): Promise<void>;
}

/**
 * Opens the storage (PostgreSQL with `DATABASE_URL`, else the SQLite file `databaseFile`) and builds
 * the agent. Spend goes to the storage's usage ledger (durable, shared by every process on it);
 * limits to `limits.store` (default: this process's memory).
 */
export async function openDemoRuntime(provider: ProviderConfig, databaseFile?: string, limits?: DemoAgentOptions['limits']): Promise<DemoRuntime> {
  const models = await createDemoModels(provider);
  const database = await openDemoStorage({ file: databaseFile });
  const observability = openDemoObservability(process.env, database.location);
  // Every process on the storage starts from the last saved learned state.
  const demo = createDemoAgent(models, {
    profileStore: database.profiles, usage: database.usage, learning: { store: database.learning }, observers: observability.middleware, ...(limits ? { limits } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    demo,
    models,
    database,
    observability,
    // Saves the learned state (agent.close) and flushes the audit queue before the connections close.
    close() {
      closing ??= demo.agent.close()
        .catch((error: unknown) => process.emitWarning(`The learned state was not saved: ${(error as Error).message}`))
        .then(() => observability.close())
        .catch((error: unknown) => process.emitWarning(`Audit records or telemetry were not flushed: ${(error as Error).message}`))
        .then(() => database.close());
      return closing;
    },
  };
}

/** Makes sure a local CLI user exists: unknown users are created on `tier` (the CLI's own user, not an API tenant). */
export async function ensureCliUser(runtime: DemoRuntime, userId: string, tier: 'pro' = 'pro'): Promise<UserProfile> {
  const stored = await runtime.database.profiles.load(userId);
  if (stored) return stored;
  return runtime.demo.profiles.save(UserProfile.fromTier(tier, userId));
}
