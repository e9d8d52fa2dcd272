import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';

// Every published package must pass publint --strict and attw --pack --profile node16 (dual ESM/CJS types).
const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));
const built = packages.every((name) => existsSync(join(root, 'packages', name, 'dist')));
if (!built && process.env.CI === 'true') throw new Error('Package checks need built packages: `pnpm test` builds before running vitest.');

describe.skipIf(!built)('published packages', () => {
  if (!built) console.warn('package checks skipped: run `pnpm build` first (pnpm test does).');
  for (const name of packages) {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;

    it(`${manifest.name as string} passes publint --strict`, async () => {
      const { messages, pkg } = await publint({ pkgDir: dir, strict: true, level: 'suggestion' });
      const problems = messages.filter((message) => message.type !== 'suggestion').map((message) => formatMessage(message, pkg));
      expect(problems).toEqual([]);
    });

    it(`${manifest.name as string} passes attw --pack --profile node16`, async () => {
      const attw = join(root, 'node_modules', '.bin', 'attw');
      const result = await run(attw, ['--pack', '.', '--profile', 'node16', '--format', 'ascii'], { cwd: dir }).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
      const output = `${(result as { stdout?: string }).stdout ?? ''}${(result as { stderr?: string }).stderr ?? ''}`;
      expect((result as { code?: number }).code ?? 0, output).toBe(0);
    }, 120_000);
  }
});
