import { createRequire } from 'node:module';
import { CascadeError } from '../errors/cascade-error';

/** Node's codes for a module that cannot be found (CJS, ESM, and a subpath the package does not export). */
const NOT_FOUND_CODES = new Set(['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !NOT_FOUND_CODES.has(code)) return false;
  // A package that is installed but misses one of its own dependencies must not read as "install X".
  const message = error instanceof Error ? error.message : '';
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`) || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

/** What {@link requireOptionalPeer} needs to say which package to install and for what. */
export interface OptionalPeerOptions {
  /** `import.meta.url` of the calling module: the peer is resolved from the caller's package, not core's. */
  from: string;
  /** The npm package to install (`pg`, `ioredis`, `openai`...). */
  packageName: string;
  /** What needs it, for the message ("createPostgresProfileStore"). */
  feature: string;
  /** A subpath to load instead of the package root (`gpt-tokenizer/encoding/o200k_base`). @default packageName */
  specifier?: string;
}

/**
 * Loads an optional peer dependency synchronously, when a factory first needs it instead of at import,
 * so a missing driver is a `CascadeError('INVALID_CONFIG')` that names the package to install (with
 * `details.missingPackage`) rather than a bare `ERR_MODULE_NOT_FOUND` from the module graph. Other
 * load failures (a broken install) are rethrown as they are.
 *
 * It uses `require` in both builds (tsup shims `import.meta.url` in CJS), so in an ESM app the driver's
 * CommonJS entry is loaded: code using it must not rely on `instanceof` against the app's ESM copy.
 *
 * @example
 * const pg = requireOptionalPeer<typeof Pg>({ from: import.meta.url, packageName: 'pg', feature: 'createPostgresProfileStore' });
 */
export function requireOptionalPeer<Module>(options: OptionalPeerOptions): Module {
  const specifier = options.specifier ?? options.packageName;
  try {
    return createRequire(options.from)(specifier) as Module;
  } catch (error) {
    if (!isModuleNotFound(error, specifier)) throw error;
    throw missingPeerError(options, error);
  }
}

/**
 * Checks that an optional peer can be found from the caller without loading it, for code that loads it
 * later with `import()` (so an ESM app gets the package's ESM entry); returns the resolved path.
 * Throws like {@link requireOptionalPeer} when it is not installed.
 */
export function resolveOptionalPeer(options: OptionalPeerOptions): string {
  const specifier = options.specifier ?? options.packageName;
  try {
    return createRequire(options.from).resolve(specifier);
  } catch (error) {
    if (!isModuleNotFound(error, specifier)) throw error;
    throw missingPeerError(options, error);
  }
}

function missingPeerError(options: OptionalPeerOptions, cause: unknown): CascadeError {
  return new CascadeError(
    'INVALID_CONFIG',
    `${options.feature} needs the optional peer dependency "${options.packageName}", which is not installed: install it (pnpm add ${options.packageName}, or npm install ${options.packageName}).`,
    { cause, details: { missingPackage: options.packageName } },
  );
}
