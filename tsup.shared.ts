import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package uses: dual ESM + CJS with types per format, one entry per
 * subpath export (`{ 'redis/index': 'src/redis/index.ts' }`), dependencies external.
 */
export function cascadeBuild(subpaths: readonly string[] = []): Options {
  const entry: Record<string, string> = { index: 'src/index.ts' };
  for (const subpath of subpaths) entry[`${subpath}/index`] = `src/${subpath}/index.ts`;
  return defineConfig({ entry, format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'es2022', splitting: true }) as Options;
}
