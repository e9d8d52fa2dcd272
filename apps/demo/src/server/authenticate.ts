import type { IncomingMessage } from 'node:http';
import type { KeyStore } from '../users/api-key-store';
import { HttpError } from './http-error';

/** The tenant behind a request. */
export interface Tenant {
  userId: string;
  keyId: number;
}

/**
 * Resolves `Authorization: Bearer <key>` to its user; 401 otherwise. The key is never logged or echoed.
 * A key whose user has no profile (deleted with `admin delete-user`, or its row removed by hand) is
 * refused like an unknown key: the user must not come back as a new FREE profile on first request.
 */
export async function authenticate(request: IncomingMessage, keys: KeyStore): Promise<Tenant> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new HttpError(401, 'authentication_error', 'missing_api_key', 'Send your API key as "Authorization: Bearer <key>". Create one with `pnpm demo admin create-key <user>`.', { 'www-authenticate': 'Bearer' });
  const tenant = await keys.authenticate(match[1]!);
  if (!tenant) throw new HttpError(401, 'authentication_error', 'invalid_api_key', 'Invalid API key.', { 'www-authenticate': 'Bearer' });
  return tenant;
}
