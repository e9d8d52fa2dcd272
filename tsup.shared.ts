import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package uses: dual ESM + CJS with types per format, one entry per
 * subpath export (`{ 'redis/index': 'src/redis/index.ts' }`), dependencies external.
 */
export function cascadeBuild(subpaths: readonly string[] = []): Options {
  const entry: Record<string, string> = { index: 'src/index.ts' };
  for (const subpath of subpaths) entry[`${subpath}/index`] = `src/${subpath}/index.ts`;
  // Source maps point at the shipped `src/` instead of embedding it again (`sourcesContent`): the same
  // debugging, half the install size for a package whose source is large (guardrails' model weights).
  return defineConfig({
    entry, format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'es2022', splitting: true,
    // `import.meta.url` in the CJS build (core's lazy tokenizer load) becomes the file's URL.
    shims: true,
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
  }) as Options;
}
