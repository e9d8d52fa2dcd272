import { type DataSubjectRequests, createAuditTrail, createDataSubjectRequests, type PersonalDataSource } from '@cascade/profiles';
import type { DemoStorage } from '../users/demo-storage';
import { openDemoAuditStore } from './demo-audit-store';

/** GDPR requests over the demo's data, and what to close after. */
export interface DemoPersonalData {
  readonly requests: DataSubjectRequests;
  close(): Promise<void>;
}

/**
 * GDPR access and erasure for one user of the demo: profile, API keys (hints, labels and dates; the
 * hashes are not personal data of use to anyone and are left out), usage rows and the audit trail,
 * wherever the storage keeps them (the SQLite file, or PostgreSQL), as `serve` writes them.
 */
export function openDemoPersonalData(storage: DemoStorage): DemoPersonalData {
  const keys: PersonalDataSource = {
    name: 'apiKeys',
    export: async (userId) => (await storage.keys.list(userId)).map((key) => ({ id: key.id, hint: key.hint, label: key.label, createdAt: key.createdAt })),
    erase: async (userId) => storage.keys.deleteUserKeys(userId),
  };
  const store = openDemoAuditStore(storage.location);
  const audit = createAuditTrail({}, { store });
  return {
    requests: createDataSubjectRequests({ profiles: storage.profiles, audit, others: [keys, storage.usageData] }),
    close: () => store.close(),
  };
}
