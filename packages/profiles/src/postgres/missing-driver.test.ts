import { CascadeError } from '@cascade/core';
import { simulateMissingPackage } from '@cascade/core/test';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteAuditStore } from '../sqlite/sqlite-audit-store';
import { createSqliteProfileStore } from '../sqlite/sqlite-profile-store';
import { createPostgresAuditStore } from './postgres-audit-store';
import { createPostgresProfileStore } from './postgres-profile-store';

function thrown(run: () => unknown): CascadeError {
  try {
    run();
  } catch (error) {
    if (CascadeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CascadeError');
}

describe('stores whose driver (an optional peer) is not installed', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it.each([
    ['createPostgresProfileStore', () => createPostgresProfileStore({ connectionString: 'postgres://127.0.0.1:1/none' })],
    ['createPostgresAuditStore', () => createPostgresAuditStore({ connectionString: 'postgres://127.0.0.1:1/none' })],
  ])('%s throws INVALID_CONFIG naming pg', (feature, create) => {
    restore = simulateMissingPackage(['pg']);
    const error = thrown(create);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(`${feature} needs the optional peer dependency "pg"`);
    expect(error.message).toContain('pnpm add pg');
    expect(error.details).toEqual({ missingPackage: 'pg' });
  });

  it.each([
    ['createSqliteProfileStore', () => createSqliteProfileStore({ filename: ':memory:' })],
    ['createSqliteAuditStore', () => createSqliteAuditStore({ filename: ':memory:' })],
  ])('%s throws INVALID_CONFIG naming better-sqlite3', (feature, create) => {
    restore = simulateMissingPackage(['better-sqlite3']);
    const error = thrown(create);
    expect(error.message).toContain(`${feature} needs the optional peer dependency "better-sqlite3"`);
    expect(error.details).toEqual({ missingPackage: 'better-sqlite3' });
  });

  it('the same stores open once the driver is there', async () => {
    const store = createSqliteProfileStore({ filename: ':memory:' });
    await store.close();
  });
});
