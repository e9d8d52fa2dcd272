import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Zod from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { createOpenAIChatModel } from '../openai/openai-chat-model';
import { createTelemetryMiddleware } from '../otel/telemetry-middleware';
import { simulateMissingPackage } from '../test/simulate-missing-package';
import { requireOptionalPeer, resolveOptionalPeer } from './require-optional-peer';

function thrown(run: () => unknown): CascadeError {
  try {
    run();
  } catch (error) {
    if (CascadeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CascadeError');
}

describe('requireOptionalPeer', () => {
  let restore: (() => void) | undefined;
  const folders: string[] = [];
  afterEach(() => {
    restore?.();
    restore = undefined;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('loads an installed package from the caller', () => {
    const zod = requireOptionalPeer<typeof Zod>({ from: import.meta.url, packageName: 'zod', feature: 'a test' });
    expect(typeof zod.z.object).toBe('function');
  });

  it('names the package to install when it is missing', () => {
    const error = thrown(() => requireOptionalPeer({ from: import.meta.url, packageName: 'cascade-not-installed-xyz', feature: 'createThing' }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('createThing needs the optional peer dependency "cascade-not-installed-xyz"');
    expect(error.message).toContain('pnpm add cascade-not-installed-xyz');
    expect(error.details).toEqual({ missingPackage: 'cascade-not-installed-xyz' });
    expect((error.cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
  });

  it('rethrows when the package is installed but one of its own dependencies is missing', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cascade-peer-'));
    folders.push(folder);
    mkdirSync(join(folder, 'node_modules', 'broken-driver'), { recursive: true });
    writeFileSync(join(folder, 'node_modules', 'broken-driver', 'index.js'), "require('its-own-missing-dependency');\n");
    writeFileSync(join(folder, 'node_modules', 'broken-driver', 'package.json'), '{"name":"broken-driver","main":"index.js"}');
    const from = pathToFileURL(join(folder, 'app.js')).href;
    expect(() => requireOptionalPeer({ from, packageName: 'broken-driver', feature: 'x' })).toThrow(/its-own-missing-dependency/);
    expect(() => requireOptionalPeer({ from, packageName: 'broken-driver', feature: 'x' })).not.toThrow(CascadeError);
  });

  it('createOpenAIChatModel without `openai` says to install it', () => {
    restore = simulateMissingPackage(['openai']);
    const error = thrown(() => createOpenAIChatModel({ modelId: 'gpt-4o-mini', apiKey: 'key' }));
    expect(error.message).toContain('createOpenAIChatModel needs the optional peer dependency "openai"');
    expect(error.details).toEqual({ missingPackage: 'openai' });
  });

  it('createTelemetryMiddleware without `@opentelemetry/api` says to install it', () => {
    restore = simulateMissingPackage(['@opentelemetry/api']);
    // vitest isolates test files: nothing in this file loaded the API before.
    const error = thrown(() => createTelemetryMiddleware());
    expect(error.message).toContain('createTelemetryMiddleware needs the optional peer dependency "@opentelemetry/api"');
    expect(error.details).toEqual({ missingPackage: '@opentelemetry/api' });
  });
});

describe('resolveOptionalPeer', () => {
  it('finds an installed package without loading it, and names a missing one', () => {
    expect(resolveOptionalPeer({ from: import.meta.url, packageName: 'zod', feature: 'a test' })).toMatch(/zod/);
    const error = thrown(() => resolveOptionalPeer({ from: import.meta.url, packageName: 'cascade-not-installed-xyz', feature: 'createThing' }));
    expect(error.details).toEqual({ missingPackage: 'cascade-not-installed-xyz' });
  });
});
