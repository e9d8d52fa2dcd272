import type { Options } from 'tsup';
import { cascadeBuild } from '../../tsup.shared.ts';

/**
 * The shared build, with source maps that point at `src/` (shipped in the package) instead of
 * embedding it: the embedded copy carried the classifier and name-model weights a second time.
 */
const options: Options = {
  ...cascadeBuild(['openai']),
  esbuildOptions(esbuild) {
    esbuild.sourcesContent = false;
  },
};

export default options;
