import { CascadeError } from '@cascade/core';
import type { ProfileJson } from '../serialization/profile-json';
import { UserProfile } from '../profile/user-profile';

/** Longest user id the stores and the manager accept (the profile schema's limit). */
const MAX_USER_ID_LENGTH = 256;

/**
 * Refuses anything but a user id (a non-empty string of at most 256 characters), so a wrong type
 * fails at the call with `INVALID_INPUT` instead of deep inside a driver or as a stray cache key.
 *
 * @param what - the call, for the message (`load`, `delete`, ...).
 */
export function checkUserId(userId: unknown, what: string): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    const shown = typeof userId === 'string' ? JSON.stringify(userId.slice(0, 40)) : userId === null ? 'null' : typeof userId;
    throw new CascadeError('INVALID_INPUT', `${what}: invalid user id ${shown}; pass a non-empty string of at most ${MAX_USER_ID_LENGTH} characters.`);
  }
}

/**
 * Refuses anything but a `UserProfile` whose stored form carries its own user id, and returns that
 * stored form: a store writes the row under `profile.userId` from exactly this JSON, so a row's key
 * and its data can never disagree.
 */
export function checkProfileArgument(profile: unknown, what: string): ProfileJson {
  if (!UserProfile.isInstance(profile)) {
    throw new CascadeError('INVALID_INPUT', `${what}: expected a UserProfile, got ${describeValue(profile)}; create one with UserProfile.fromTier(...) or UserProfile.create(...).`);
  }
  checkUserId(profile.userId, what);
  const json = profile.toJSON();
  if (json.userId !== profile.userId) {
    throw new CascadeError('INVALID_INPUT', `${what}: the profile of "${profile.userId}" serializes as user "${String(json.userId)}"; refusing to write a row whose data names another user.`);
  }
  return json;
}

/** Refuses anything but an array of `UserProfile`s (see {@link checkProfileArgument}). */
export function checkProfileList(profiles: unknown, what: string): void {
  if (!Array.isArray(profiles)) throw new CascadeError('INVALID_INPUT', `${what}: expected an array of UserProfiles, got ${describeValue(profiles)}.`);
  for (const profile of profiles) checkProfileArgument(profile, what);
}

/** Refuses an expected version that is neither `undefined` (no row yet) nor an integer from `loadVersioned`. */
export function checkExpectedVersion(version: unknown, what: string): asserts version is number | undefined {
  if (version !== undefined && !Number.isSafeInteger(version)) {
    throw new CascadeError('INVALID_INPUT', `${what}: expectedVersion must be the integer version from loadVersioned, or undefined for a user without a row; got ${describeValue(version)}.`);
  }
}

/** Refuses options that are not an object with (optionally) an `AbortSignal`. */
export function checkCallOptions(options: unknown, what: string): AbortSignal | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw new CascadeError('INVALID_INPUT', `${what}: options must be an object like { abortSignal }, got ${describeValue(options)}.`);
  const signal = (options as { abortSignal?: unknown }).abortSignal;
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) throw new CascadeError('INVALID_INPUT', `${what}: abortSignal must be an AbortSignal, got ${describeValue(signal)}.`);
  return signal;
}

/** A short, secret-free description of a value's type for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
