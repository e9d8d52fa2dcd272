import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const satellites = ['profiles', 'limits', 'guardrails', 'batch', 'stream'];

// Satellites depend on @cascade/core only; core depends on none of them.
const dependencyRule = [
  {
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: satellites.map((name) => `@cascade/${name}`).concat(satellites.map((name) => `@cascade/${name}/*`)), message: 'Core imports no satellite package.' }],
      }],
    },
  },
  ...satellites.map((self) => ({
    files: [`packages/${self}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            group: satellites.filter((other) => other !== self).flatMap((other) => [`@cascade/${other}`, `@cascade/${other}/*`]),
            message: 'Satellites import only @cascade/core. Move the shared piece into core.',
          },
          { group: ['@cascade/*/src/*', '@cascade/*/src'], message: 'No deep imports: use the package exports.' },
        ],
      }],
    },
  })),
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', '**/*.cjs', '**/*.mjs', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Barrels use explicit named exports, no `export *`.' }, { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, never enum.' }],
    },
  },
  {
    files: ['**/*.test.ts', '**/__fixtures__/**', 'apps/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  ...dependencyRule,
  { files: ['eslint.config.js'], languageOptions: { sourceType: 'module' } },
);
