import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// A new user's install: `pnpm pack` tarballs of core, limits and guardrails installed with npm into an
// app that is on zod 3.25 (issue 14: zod 4 as a hard peer made this ERESOLVE). npm reaches the
// registry only for zod 3.25 and zod 4 (from its cache when it has them).
const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const names = ['core', 'limits', 'guardrails'];
const built = names.every((name) => existsSync(join(root, 'packages', name, 'dist', 'index.js')));
if (!built && process.env.CI === 'true') throw new Error('The install test needs built packages: `pnpm test` builds before running vitest.');

// pnpm's bin shims set NODE_PATH to the workspace store; the app must see only its own node_modules.
const { NODE_PATH: _nodePath, ...appEnv } = process.env;
const work = mkdtempSync(join(tmpdir(), 'cascade-install-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!built)('installing the packed packages into an app on zod 3.25', () => {
  if (!built) console.warn('install test skipped: run `pnpm build` first (pnpm test does).');

  it('installs without peer conflicts, runs a cascade from ESM and CJS, and keeps the app on zod 3', async () => {
    const tarballs = join(work, 'tarballs');
    for (const name of names) await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', name) });
    const files = readdirSync(tarballs);
    const tarball = (name: string): string => `file:${join(tarballs, files.find((file) => file.startsWith(`cascade-${name}-`))!)}`;
    const app = join(work, 'app');
    await run('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: 'zod3-app', private: true, type: 'module',
      dependencies: { zod: '~3.25.0', '@cascade/core': tarball('core'), '@cascade/limits': tarball('limits'), '@cascade/guardrails': tarball('guardrails') },
    }));
    // Plain `npm install`, no --legacy-peer-deps: a peer conflict fails here.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, env: appEnv, timeout: 110_000 });

    writeFileSync(join(app, 'main.mjs'), `
      import { z } from 'zod';
      import { createCascadeAgent, createPricing, hasExactTokenizer } from '@cascade/core';
      import { MockChatModel } from '@cascade/core/test';
      import { createLimitsMiddleware } from '@cascade/limits';
      import { createGuardrailsMiddleware } from '@cascade/guardrails';
      const pricing = createPricing({ prices: { local: { inputUsdPerMTok: 0, outputUsdPerMTok: 0 } } });
      const agent = createCascadeAgent({
        models: [new MockChatModel({ modelId: 'local', responses: [{ text: 'The answer is 391.' }] })],
        pricing, middleware: [createLimitsMiddleware(), createGuardrailsMiddleware()],
        policy: { limits: { user: { rate: { requestsPerMinute: 5 } } } },
      });
      const result = await agent.run('What is 17 * 23?', { userId: 'u1' });
      console.log(JSON.stringify({ text: result.text, appZod: typeof z.string().parse, exact: hasExactTokenizer(), v3: typeof z.ZodFirstPartyTypeKind }));
    `);
    const esm = JSON.parse((await run('node', ['main.mjs'], { cwd: app, env: appEnv })).stdout) as Record<string, unknown>;
    expect(esm).toEqual({ text: 'The answer is 391.', appZod: 'function', exact: false, v3: 'object' });

    writeFileSync(join(app, 'main.cjs'), `
      const { createCascadeAgent, CascadeError } = require('@cascade/core');
      try { createCascadeAgent({ models: [], polcy: {} }); } catch (error) { console.log(JSON.stringify({ code: CascadeError.isInstance(error) && error.code })); }
    `);
    expect(JSON.parse((await run('node', ['main.cjs'], { cwd: app, env: appEnv })).stdout)).toEqual({ code: 'INVALID_CONFIG' });

    // The app installed no optional peer (openai, @opentelemetry/api): the subpaths still import, and the
    // factories say which package to install (issue 14: was a bare ERR_MODULE_NOT_FOUND at import).
    const missingPeers = (load: string): string => `
      ${load}
      const report = (make) => { try { make(); return 'no error'; } catch (error) { return [error.code, error.details?.missingPackage, /npm install/.test(error.message)]; } };
      console.log(JSON.stringify({
        openai: report(() => createOpenAIChatModel({ modelId: 'gpt-4o-mini', apiKey: 'key' })),
        otel: report(() => createTelemetryMiddleware()),
      }));
    `;
    writeFileSync(join(app, 'peers.mjs'), missingPeers("import { createOpenAIChatModel } from '@cascade/core/openai'; import { createTelemetryMiddleware } from '@cascade/core/otel';"));
    writeFileSync(join(app, 'peers.cjs'), missingPeers("const { createOpenAIChatModel } = require('@cascade/core/openai'); const { createTelemetryMiddleware } = require('@cascade/core/otel');"));
    const expected = { openai: ['INVALID_CONFIG', 'openai', true], otel: ['INVALID_CONFIG', '@opentelemetry/api', true] };
    expect(JSON.parse((await run('node', ['peers.mjs'], { cwd: app, env: appEnv })).stdout)).toEqual(expected);
    expect(JSON.parse((await run('node', ['peers.cjs'], { cwd: app, env: appEnv })).stdout)).toEqual(expected);
  }, 120_000);
});
