import type { LearningState, LearningStore } from './learning-types';

/**
 * A `LearningStore` in memory (a deep copy per save): share it between agents of one process, or
 * use it as the model for a database-backed store.
 *
 * @example
 * const store = createMemoryLearningStore();
 * const agent = createCascadeAgent({ models, learning: { store } });
 */
export function createMemoryLearningStore(initial?: LearningState): LearningStore & { readonly saves: number } {
  let state = initial ? structuredClone(initial) : undefined;
  let saves = 0;
  return {
    get saves() {
      return saves;
    },
    load: () => Promise.resolve(state ? structuredClone(state) : undefined),
    save: (next) => {
      state = structuredClone(next);
      saves++;
      return Promise.resolve();
    },
  };
}
