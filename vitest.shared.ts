import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * The project config every package and app uses: tests beside the code, `source` export
 * condition so tests run against `src/` of workspace packages without a build.
 */
export function cascadeProject(name: string, overrides: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] },
    ssr: { resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] } },
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
