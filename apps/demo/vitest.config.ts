import { cascadeProject } from '../../vitest.shared.ts';

// eventsource-parser (under the `ai` devDependency) publishes a `source` export condition, which the
// workspace's own `source` condition would make Node load as raw TypeScript: vite transforms it instead.
export default cascadeProject('@cascade/demo', { server: { deps: { inline: ['ai', /@ai-sdk\//, 'eventsource-parser'] } } });
