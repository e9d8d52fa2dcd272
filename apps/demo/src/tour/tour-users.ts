import { type UserProfileInput, type UserProfileManager } from '@cascade/profiles';

/** A user of the tour and why they are there. */
export interface TourUser {
  input: UserProfileInput;
  role: string;
}

/** Daily budget of the FREE user who runs out of money in the tour (USD). */
export const TINY_DAILY_BUDGET_USD = 0.001;

/** The tour's users: one per story, on the built-in tiers (one FREE user with a tiny budget override). */
export const TOUR_USERS: readonly TourUser[] = Object.freeze([
  { input: { userId: 'ana', tier: 'free' }, role: 'FREE: hits the 10 requests/hour limit' },
  { input: { userId: 'felix', tier: 'free', limits: { budget: { dailyUsd: TINY_DAILY_BUDGET_USD } } }, role: `FREE with a $${TINY_DAILY_BUDGET_USD}/day budget: runs out` },
  { input: { userId: 'sam', tier: 'starter' }, role: 'STARTER: PII redacted, injection blocked' },
  { input: { userId: 'priya', tier: 'pro' }, role: 'PRO (keeps 93% of the strongest quality): stream, batch' },
  { input: { userId: 'bo', tier: 'business' }, role: 'BUSINESS (keeps 98%): batch' },
]);

/** Creates (or resets) the tour's profiles in the store. */
export async function seedTourUsers(profiles: UserProfileManager): Promise<void> {
  await profiles.createBulk(TOUR_USERS.map((user) => user.input));
}
