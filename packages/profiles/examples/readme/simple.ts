import { UserProfile } from '@cascade/profiles';

const profile = UserProfile.fromPlan('pro', 'user_123');
console.log(profile.toPrincipal(), profile.toPolicy(), profile.canUseModel('gpt-4o'));
