import { CascadeError } from '@cascade/core';
import type { LimitStore } from '../counter/counter';
import { createMemoryStore } from '../memory/memory-store';

/** The dependencies every limits factory takes, checked and with their defaults. */
export interface ResolvedDependencies {
  readonly store: LimitStore;
  readonly now: () => number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function invalid(message: string): CascadeError {
  return new CascadeError('INVALID_CONFIG', message);
}

/**
 * Checks the second argument of a limits factory when the factory is called, not on first use:
 * `store` must be a {@link LimitStore} (a `kind` and an `evaluate` method), `now` a clock function
 * (epoch ms), and every name in `functions` a function when given. Throws `INVALID_CONFIG` naming what
 * is missing or wrong.
 */
export function resolveDependencies(dependencies: unknown, where: string, functions: readonly string[] = []): ResolvedDependencies {
  if (dependencies === undefined) return { store: createMemoryStore(), now: Date.now };
  if (typeof dependencies !== 'object' || dependencies === null || Array.isArray(dependencies)) {
    throw invalid(`${where} dependencies must be an object like { store, now }; got ${describe(dependencies)}.`);
  }
  const given = dependencies as Record<string, unknown>;
  const store = given.store;
  if (store !== undefined) {
    if (typeof store !== 'object' || store === null) {
      throw invalid(`${where} dependencies.store must be a limit store (createMemoryStore() or createRedisStore(...)); got ${describe(store)}.`);
    }
    const candidate = store as Record<string, unknown>;
    const missing = [typeof candidate.evaluate === 'function' ? undefined : 'evaluate()', typeof candidate.kind === 'string' ? undefined : 'kind'].filter((name) => name !== undefined);
    if (missing.length > 0) {
      throw invalid(`${where} dependencies.store is not a limit store: it has no ${missing.join(' and no ')}. Pass createMemoryStore() or createRedisStore(...), or an object implementing LimitStore.`);
    }
  }
  const now = given.now;
  if (now !== undefined && typeof now !== 'function') throw invalid(`${where} dependencies.now must be a clock function returning epoch ms; got ${describe(now)}.`);
  for (const name of functions) {
    const value = given[name];
    if (value !== undefined && typeof value !== 'function') throw invalid(`${where} dependencies.${name} must be a function; got ${describe(value)}.`);
  }
  return { store: (store as LimitStore | undefined) ?? createMemoryStore(), now: (now as (() => number) | undefined) ?? Date.now };
}
