import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * The project config every package and app uses: tests beside the code, `source` export
 * condition so tests run against `src/` of workspace packages without a build.
 */
export function cascadeProject(name: string, overrides: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] },
    // Vitest passes these to its Node workers as --conditions, which also apply to require():
    // `import` there would make CJS packages (pg → pg-pool) load ESM builds. Vite adds
    // import/require by itself, so workers need only `source` and `node`.
    ssr: { resolve: { conditions: ['source', 'node'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      restoreMocks: true,
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...overrides,
    },
  });
}
