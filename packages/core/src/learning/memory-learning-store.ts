import type { LearningState, LearningStore } from './learning-types';
import { addLearningStates } from './merge-state';

/**
 * A `LearningStore` in memory (a deep copy per save): share it between agents of one process, or
 * use it as the model for a database-backed store. `merge` adds an agent's new evidence to what is
 * held, so agents sharing the store pool their labels.
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
    merge: (delta) => {
      state = addLearningStates(state, delta);
      saves++;
      return Promise.resolve(structuredClone(state));
    },
  };
}
