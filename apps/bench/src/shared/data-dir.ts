import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchArgs, stringArg } from './args';

/** The monorepo root: the nearest ancestor holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
}

/** The shared data directory: `--data-dir`, else `CASCADE_DATA_DIR`, else `../shared/data` beside the repo. */
export function dataDir(args: BenchArgs): string {
  const chosen = stringArg(args, 'data-dir') ?? process.env['CASCADE_DATA_DIR'];
  if (chosen) return isAbsolute(chosen) ? chosen : resolve(process.cwd(), chosen);
  return resolve(repoRoot(), '../shared/data');
}

/**
 * Resolves a data file given on the command line: as given (absolute, or from the cwd, or from
 * the repo root, where `pnpm bench:*` users think from), else inside the data directory.
 */
export function resolveDataFile(args: BenchArgs, file: string): string {
  if (isAbsolute(file)) return file;
  for (const base of [process.env['INIT_CWD'], process.cwd(), repoRoot()]) {
    if (base && existsSync(resolve(base, file))) return resolve(base, file);
  }
  return resolve(dataDir(args), file);
}
