import { CascadeError } from '@cascade/core';
import type { AuditRecord } from '../audit/audit-record';
import type { AuditTrail } from '../audit/audit-trail';
import type { UserProfileManager } from '../manager/profile-manager';
import type { ProfileJson } from '../serialization/profile-json';
import type { ProfileStore, StoreCallOptions } from '../store/profile-store';

/** Another place holding a user's data (a usage ledger, API keys, ...), for export and erasure. */
export interface PersonalDataSource {
  /** Key of its part in the export and the erasure report, e.g. `usage`. */
  readonly name: string;
  export(userId: string, options?: StoreCallOptions): Promise<unknown>;
  /** Deletes the user's data; returns how many items (or whether any) were removed. */
  erase(userId: string, options?: StoreCallOptions): Promise<number | boolean>;
}

/** Where the user's data lives. */
export interface DataSubjectSources {
  profiles: ProfileStore;
  /** Also drops the cached profile on erasure. */
  manager?: UserProfileManager;
  audit?: AuditTrail;
  others?: readonly PersonalDataSource[];
}

/** What `export` returns: everything stored about the user, as JSON. */
export interface PersonalDataExport {
  userId: string;
  /** Epoch ms. */
  exportedAt: number;
  profile: ProfileJson | null;
  audit: AuditRecord[];
  [source: string]: unknown;
}

/** GDPR data-subject requests across profiles, the audit trail and any other source. */
export interface DataSubjectRequests {
  /** Right of access (Art. 15): everything stored about the user. */
  export(userId: string, options?: StoreCallOptions): Promise<PersonalDataExport>;
  /** Right to erasure (Art. 17): deletes the user everywhere; reports what each source removed. */
  erase(userId: string, options?: StoreCallOptions): Promise<Record<string, number | boolean>>;
}

/**
 * GDPR access and erasure for one user across the profile store, the audit trail (its queue is
 * flushed first, so no record is written after the erasure) and other sources such as a usage ledger.
 * An erasure attempts every source and then rejects with `STORE_FAILED` naming those that failed.
 *
 * @example
 * const dsr = createDataSubjectRequests({ profiles: store, manager, audit: trail, others: [usageLedgerSource] });
 * const data = await dsr.export('user_1'); await dsr.erase('user_1');
 */
export function createDataSubjectRequests(sources: DataSubjectSources, now: () => number = Date.now): DataSubjectRequests {
  const others = sources.others ?? [];
  for (const name of others.map((source) => source.name)) {
    if (name === 'profile' || name === 'audit' || name === 'userId' || name === 'exportedAt' || others.filter((source) => source.name === name).length > 1) {
      throw new CascadeError('INVALID_CONFIG', `createDataSubjectRequests: the source name "${name}" is taken; give each source its own name.`);
    }
  }
  return {
    async export(userId, options) {
      const profile = await sources.profiles.load(userId, options);
      const data: PersonalDataExport = {
        userId,
        exportedAt: now(),
        profile: profile ? profile.toJSON() : null,
        audit: sources.audit ? await sources.audit.exportUser(userId, options) : [],
      };
      for (const source of others) data[source.name] = await source.export(userId, options);
      return data;
    },
    async erase(userId, options) {
      const report: Record<string, number | boolean> = {};
      const failures: { name: string; error: unknown }[] = [];
      const attempt = async (name: string, task: () => Promise<number | boolean>): Promise<void> => {
        try {
          report[name] = await task();
        } catch (error) {
          failures.push({ name, error });
        }
      };
      await attempt('profile', () => (sources.manager ? sources.manager.delete(userId, options) : sources.profiles.delete(userId, options)));
      if (sources.audit) await attempt('audit', () => sources.audit!.eraseUser(userId, options));
      for (const source of others) await attempt(source.name, () => source.erase(userId, options));
      if (failures.length > 0) {
        throw new CascadeError('STORE_FAILED', `Erasing user "${userId}" failed in ${failures.map((failure) => failure.name).join(', ')}; the other sources were erased. Retry the erasure.`, {
          cause: failures.length === 1 ? failures[0]!.error : new AggregateError(failures.map((failure) => failure.error)),
          retryable: true,
          details: { erased: report, failed: failures.map((failure) => failure.name) },
        });
      }
      return report;
    },
  };
}
