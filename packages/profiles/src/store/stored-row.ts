import { CascadeError } from '@cascade/core';
import { UserProfile } from '../profile/user-profile';

/** Why a stored row could not be read as its user's profile (`details.reason` of the error). */
export type StoredProfileProblem = 'not_json' | 'invalid_profile' | 'user_id_mismatch';

/**
 * The error of a row that cannot be the profile of its key: `INVALID_CONFIG` with
 * `details: { userId, reason, detail }`. `detail` repeats the full message (field names, both user ids,
 * never the stored values) so an edge that answers clients a generic message can still log it.
 */
export function storedProfileError(userId: string, reason: StoredProfileProblem, message: string, options: { cause?: unknown; storedUserId?: string } = {}): CascadeError {
  return new CascadeError('INVALID_CONFIG', message, {
    cause: options.cause,
    details: { userId, reason, detail: message, ...(options.storedUserId !== undefined ? { storedUserId: options.storedUserId } : {}) },
  });
}

/**
 * Refuses a profile loaded under `userId` that belongs to another user: trusting the data over its
 * key would bill and rate-limit one user as another.
 *
 * @param source - where it was loaded from, for the message (`SQLite profile store`).
 */
export function checkLoadedProfile(profile: UserProfile, userId: string, source: string): UserProfile {
  if (profile.userId === userId) return profile;
  return mismatch(userId, profile.userId, source);
}

function mismatch(userId: string, storedUserId: string, source: string, cause?: unknown): never {
  throw storedProfileError(
    userId,
    'user_id_mismatch',
    `${source}: the stored profile of user "${userId}" names user "${storedUserId.slice(0, 256)}"; refusing to load it as either. Fix the row's data or delete the row (\`admin delete-user ${userId}\` in the demo).`,
    { storedUserId, cause },
  );
}

/**
 * Reads a stored row as the profile of its key: JSON text (SQLite) or a parsed object (PostgreSQL
 * `jsonb`), validated and migrated by `UserProfile.fromJSON`, then checked against the key.
 *
 * @throws CascadeError `INVALID_CONFIG` with `details: { userId, reason, detail }` (see {@link storedProfileError}).
 */
export function profileFromRow(data: unknown, userId: string, source: string): UserProfile {
  let json: unknown = data;
  if (typeof data === 'string') {
    try {
      json = JSON.parse(data);
    } catch (error) {
      // The parser's message quotes the data: keep it in `cause`, out of the message.
      throw storedProfileError(userId, 'not_json', `${source}: the stored profile of user "${userId}" is not JSON. Fix or delete the row.`, { cause: error });
    }
  }
  let profile: UserProfile;
  try {
    profile = UserProfile.fromJSON(json);
  } catch (error) {
    if (!CascadeError.isInstance(error)) throw error;
    const message = `${source}: the stored profile of user "${userId}" is invalid. ${error.message}`;
    throw storedProfileError(userId, 'invalid_profile', message, { cause: error });
  }
  return checkLoadedProfile(profile, userId, source);
}
