import Module from 'node:module';

type ResolveFilename = (request: string, ...rest: unknown[]) => string;

/**
 * Makes Node's CommonJS resolution fail for `packageNames` (and their subpaths) as if they were not
 * installed, until the returned function is called: the way to test a missing optional peer, which
 * Cascade loads with `require` on demand (`requireOptionalPeer` of `@cascade/core`). Affects the whole process.
 *
 * @example
 * const restore = simulateMissingPackage(['pg']);
 * try { expect(() => createPostgresProfileStore({ connectionString })).toThrow(/pnpm add pg/); } finally { restore(); }
 */
export function simulateMissingPackage(packageNames: readonly string[]): () => void {
  const internals = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = internals._resolveFilename;
  const isMissing = (request: string): boolean => packageNames.some((name) => request === name || request.startsWith(`${name}/`));
  internals._resolveFilename = function resolveFilename(this: unknown, request: string, ...rest: unknown[]): string {
    if (isMissing(request)) {
      throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
    }
    return original.call(this, request, ...rest);
  };
  return () => {
    internals._resolveFilename = original;
  };
}
