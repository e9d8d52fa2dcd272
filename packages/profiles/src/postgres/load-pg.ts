import { requireOptionalPeer } from '@cascade/core';
import type * as Pg from 'pg';

/**
 * The `pg` driver (an optional peer), loaded when a store creates its own pool or client rather than
 * at import: without it the store throws `INVALID_CONFIG` naming the package to install.
 */
export function loadPg(feature: string): typeof Pg {
  return requireOptionalPeer<typeof Pg>({ from: import.meta.url, packageName: 'pg', feature });
}
