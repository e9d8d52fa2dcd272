import type { UserWorkspaceConfig } from 'vitest/config';
import { cascadeProject } from '../../vitest.shared.ts';

const project = cascadeProject('@cascade/profiles');

// Vitest passes `ssr.resolve.conditions` to its Node workers as `--conditions` flags, and Node applies
// them to `require()` too: with `import` among them, `pg` (CJS) requiring `pg-pool` gets its ESM build
// and fails ("Class extends value [object Module]"). Vite adds `import`/`require` by itself, so the
// workers only need `source` (workspace packages' src/) and `node`.
const config: UserWorkspaceConfig = { ...project, ssr: { ...project.ssr, resolve: { ...project.ssr?.resolve, conditions: ['source', 'node'] } } };
export default config;
