import { createMemoryProfileStore, type MemoryProfileStore } from '../../store/memory-store';
import type { ProfileStore } from '../../store/profile-store';
import type { UserProfile } from '../../profile/user-profile';

/** A memory store whose calls can be held open and made to fail, counting each call. */
export interface ControlledStore extends ProfileStore {
  readonly inner: MemoryProfileStore;
  readonly calls: { load: number; save: number; create: number; saveMany: number; delete: number };
  /** Next calls of this kind throw `error` (until reset with `undefined`). */
  fail(kind: 'load' | 'save' | 'create' | 'saveMany', error: Error | undefined): void;
  /** Hold loads open (after they read) until the returned release function is called. */
  holdLoads(): () => void;
}

export function createControlledStore(initial: UserProfile[] = []): ControlledStore {
  const inner = createMemoryProfileStore(initial);
  const calls = { load: 0, save: 0, create: 0, saveMany: 0, delete: 0 };
  const failures = new Map<string, Error>();
  let gate: Promise<void> | undefined;
  const check = (kind: string): void => {
    const error = failures.get(kind);
    if (error) throw error;
  };
  return {
    inner,
    calls,
    fail(kind, error) {
      if (error) failures.set(kind, error);
      else failures.delete(kind);
    },
    holdLoads() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    async load(userId, options) {
      calls.load++;
      // Read first, then wait: a held load returns what the store held when it started.
      const value = await inner.load(userId, options);
      if (gate) await gate;
      check('load');
      return value;
    },
    async loadVersioned(userId, options) {
      calls.load++;
      const value = await inner.loadVersioned(userId, options);
      if (gate) await gate;
      check('load');
      return value;
    },
    async saveIfVersion(profile, expectedVersion, options) {
      calls.save++;
      check('save');
      return inner.saveIfVersion(profile, expectedVersion, options);
    },
    async save(profile, options) {
      calls.save++;
      check('save');
      return inner.save(profile, options);
    },
    async saveMany(profiles, options) {
      calls.saveMany++;
      check('saveMany');
      return inner.saveMany(profiles, options);
    },
    async create(profile, options) {
      calls.create++;
      check('create');
      return inner.create(profile, options);
    },
    async delete(userId, options) {
      calls.delete++;
      return inner.delete(userId, options);
    },
  };
}
