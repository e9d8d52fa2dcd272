import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What a user sees of each published package's manifest (issue 14, point 12). No build needed.
const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));
const OPTIONAL_PEERS = ['openai', 'pg', 'ioredis', 'better-sqlite3', '@opentelemetry/api', 'gpt-tokenizer'];

interface Manifest {
  name: string;
  license?: string;
  repository?: { url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

describe('published package manifests', () => {
  it('the changesets fixed group holds every published package', () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')) as { fixed: string[][] };
    expect(config.fixed).toEqual([['@cascade/*']]);
  });

  for (const name of packages) {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

    it(`${manifest.name}: LICENSE, repository, homepage, bugs`, () => {
      expect(manifest.license).toBe('MIT');
      expect(existsSync(join(dir, 'LICENSE'))).toBe(true);
      expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
      expect(manifest.repository?.directory).toBe(`packages/${name}`);
      expect(manifest.homepage).toContain(`packages/${name}`);
      expect(manifest.bugs?.url).toMatch(/\/issues$/);
    });

    it(`${manifest.name}: typesVersions for every subpath (moduleResolution node10)`, () => {
      const subpaths = Object.keys(manifest.exports).filter((key) => key !== '.' && key !== './package.json').map((key) => key.slice(2));
      expect(Object.keys(manifest.typesVersions?.['*'] ?? {}).sort()).toEqual(subpaths.sort());
      for (const subpath of subpaths) expect(manifest.typesVersions!['*']![subpath]).toEqual([`./dist/${subpath}/index.d.cts`]);
    });

    it(`${manifest.name}: core by range, drivers as optional peers`, () => {
      if (manifest.name !== '@cascade/core') expect(manifest.dependencies?.['@cascade/core']).toBe('workspace:^');
      for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
        if (OPTIONAL_PEERS.includes(peer)) expect(manifest.peerDependenciesMeta?.[peer]?.optional, peer).toBe(true);
      }
    });
  }
});
