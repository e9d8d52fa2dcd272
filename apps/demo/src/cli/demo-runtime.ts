import { UserProfile } from '@cascade/profiles';
import { type DemoAgent, type DemoAgentOptions, createDemoAgent } from '../agent/create-demo-agent';
import { type DemoModels, createDemoModels } from '../agent/demo-models';
import type { ProviderConfig } from '../config/provider-config';
import { openSqliteLearningStore } from '../learning/sqlite-learning-store';
import { type DemoObservability, openDemoObservability } from '../observability/demo-observability';
import { type DemoDatabase, openDemoDatabase } from '../users/demo-database';

/** The agent on the demo database (profiles, keys, usage and the learned state), for `ask`, `batch` and `serve`. */
export interface DemoRuntime {
  readonly demo: DemoAgent;
  readonly models: DemoModels;
  readonly database: DemoDatabase;
  /** OpenTelemetry and the audit trail. */
  readonly observability: DemoObservability;
  close(): void;
}

/**
 * Opens the database and builds the agent. Spend goes to the database's usage ledger (durable,
 * shared by every process on the file); limits to `limits.store` (default: this process's memory).
 */
export async function openDemoRuntime(provider: ProviderConfig, databaseFile?: string, limits?: DemoAgentOptions['limits']): Promise<DemoRuntime> {
  const models = await createDemoModels(provider);
  const database = openDemoDatabase(databaseFile);
  // The learned state lives in the same file: every process on it starts from the last saved state.
  const learning = openSqliteLearningStore(database.filename);
  const observability = openDemoObservability(process.env, database.filename);
  const demo = createDemoAgent(models, {
    profileStore: database.profiles, usage: database.usage, learning: { store: learning.store }, observers: observability.middleware, ...(limits ? { limits } : {}),
  });
  return {
    demo,
    models,
    database,
    observability,
    // Saves the learned state (agent.close) before the connections close; callers need not wait.
    close: () => {
      void demo.agent.close().catch((error: unknown) => process.emitWarning(`The learned state was not saved: ${(error as Error).message}`))
        .then(() => observability.close())
        .catch((error: unknown) => process.emitWarning(`Audit records or telemetry were not flushed: ${(error as Error).message}`))
        .finally(() => {
          learning.close();
          database.close();
        });
    },
  };
}

/** Makes sure a local CLI user exists: unknown users are created on `tier` (the CLI's own user, not an API tenant). */
export async function ensureCliUser(runtime: DemoRuntime, userId: string, tier: 'pro' = 'pro'): Promise<UserProfile> {
  const stored = await runtime.database.profiles.load(userId);
  if (stored) return stored;
  return runtime.demo.profiles.save(UserProfile.fromTier(tier, userId));
}
