import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every demo API key, so a leaked key is recognisable by secret scanners. */
export const API_KEY_PREFIX = 'csk_';

/** A new random API key: `csk_` + 32 random bytes, base64url. Shown once, stored only as a hash. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a key: keys carry 256 random bits, so a fast hash is enough (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The part of a key safe to show in listings and logs: prefix and first 4 characters. */
export function keyHint(key: string): string {
  return `${key.slice(0, API_KEY_PREFIX.length + 4)}…`;
}
