import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type QualityValidator, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditTrail } from '../audit/audit-trail';
import type { AuditStore } from '../audit/audit-store';
import { createProfileManager } from '../manager/profile-manager';
import { createProfileMiddleware } from '../middleware/profile-middleware';
import { createPostgresAuditStore } from '../postgres/postgres-audit-store';
import { createPostgresProfileStore } from '../postgres/postgres-profile-store';
import { UserProfile } from '../profile/user-profile';
import { createSqliteAuditStore } from '../sqlite/sqlite-audit-store';
import { createSqliteProfileStore } from '../sqlite/sqlite-profile-store';
import type { ProfileStore } from '../store/profile-store';
import { type PersonalDataSource, createDataSubjectRequests } from './data-subject-requests';

const DATABASE_URL = process.env['DATABASE_URL'];
if (!DATABASE_URL && process.env['CI'] === 'true') throw new Error('DATABASE_URL is not set: under CI=true the PostgreSQL GDPR tests must run.');
if (!DATABASE_URL) console.warn('Skipping the PostgreSQL GDPR tests: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.');

const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } } });
const validator: QualityValidator = { name: 'pass', validate: () => ({ score: 1, passed: true, signals: [], reason: 'ok' }) };

/** A usage ledger as the demo server keeps one: rows per user. */
function usageLedger(): PersonalDataSource & { rows: { userId: string; costUsd: number }[] } {
  const ledger = {
    name: 'usage',
    rows: [] as { userId: string; costUsd: number }[],
    export: async (userId: string) => ledger.rows.filter((row) => row.userId === userId),
    erase: async (userId: string) => {
      const before = ledger.rows.length;
      ledger.rows = ledger.rows.filter((row) => row.userId !== userId);
      return before - ledger.rows.length;
    },
  };
  return ledger;
}

function describeGdpr(name: string, open: () => { profiles: ProfileStore; audit: AuditStore; close: () => Promise<void> }): void {
  describe(`GDPR export and erasure on ${name}`, () => {
    it('exports one user across profile, audit and usage; erases them everywhere, leaving other users intact', async () => {
      const { profiles, audit, close } = open();
      try {
        await profiles.save(UserProfile.fromTier('pro', 'ada'));
        await profiles.save(UserProfile.fromTier('enterprise', 'bob'));
        const manager = createProfileManager({}, { store: profiles });
        const trail = createAuditTrail({}, { store: audit });
        const usage = usageLedger();
        const agent = createCascadeAgent({
          models: [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false,
          middleware: [createProfileMiddleware(manager), trail.middleware, { name: 'usage', onEnd: (report) => void usage.rows.push({ userId: report.context.principal!.userId, costUsd: report.costUsd }) }],
        });
        await agent.run('one', { userId: 'ada' });
        await agent.run('two', { userId: 'ada' });
        await agent.run('three', { userId: 'bob' });
        const requests = createDataSubjectRequests({ profiles, manager, audit: trail, others: [usage] }, () => 42);
        // Records still queued are flushed before the export reads them.
        const data = await requests.export('ada');
        expect(data).toMatchObject({ userId: 'ada', exportedAt: 42, profile: { userId: 'ada', tier: 'pro' } });
        expect(data.audit).toHaveLength(2);
        expect(data['usage']).toHaveLength(2);
        expect(JSON.parse(JSON.stringify(data))).toEqual(data);

        expect(await requests.erase('ada')).toEqual({ profile: true, audit: 2, usage: 2 });
        const after = await requests.export('ada');
        expect(after).toMatchObject({ profile: null, audit: [], usage: [] });
        expect(manager.peek('ada')).toBeUndefined();
        const bob = await requests.export('bob');
        expect(bob.audit).toHaveLength(1);
        expect(bob.profile).not.toBeNull();
        await trail.close();
      } finally {
        await close();
      }
    });

    it('an erasure reports the sources that failed after erasing the others', async () => {
      const { profiles, audit, close } = open();
      try {
        await profiles.save(UserProfile.fromTier('pro', 'cy'));
        const broken: PersonalDataSource = { name: 'keys', export: async () => [], erase: async () => { throw new Error('down'); } };
        const requests = createDataSubjectRequests({ profiles, audit: createAuditTrail({}, { store: audit }), others: [broken] });
        await expect(requests.erase('cy')).rejects.toMatchObject({ code: 'STORE_FAILED', details: { failed: ['keys'], erased: { profile: true, audit: 0 } } });
        expect(await profiles.load('cy')).toBeUndefined();
      } finally {
        await close();
      }
    });
  });
}

const directory = mkdtempSync(join(tmpdir(), 'cascade-gdpr-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
describeGdpr('SQLite', () => {
  const filename = join(directory, `gdpr-${files++}.db`);
  const profiles = createSqliteProfileStore({ filename });
  const audit = createSqliteAuditStore({}, { database: profiles.database });
  return { profiles, audit, close: () => profiles.close() };
});

const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
let tables = 0;
describe.skipIf(!DATABASE_URL)('PostgreSQL', () => {
  describeGdpr('PostgreSQL', () => {
    const suffix = `${runId}_${tables++}`;
    const profiles = createPostgresProfileStore({ connectionString: DATABASE_URL!, tableName: `gdpr_profiles_${suffix}`, maxConnections: 2 });
    const audit = createPostgresAuditStore({ connectionString: DATABASE_URL!, tableName: `gdpr_audit_${suffix}`, maxConnections: 2 });
    return {
      profiles, audit,
      close: async () => {
        await profiles.dropTable();
        await audit.dropTable();
        await profiles.close();
        await audit.close();
      },
    };
  });
});
