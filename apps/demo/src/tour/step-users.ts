import { formatPercent, renderTable } from '../cli/render-table';
import { DEMO_TIER_SHARES } from '../learning/tier-quality-share';
import type { TourContext } from './tour-context';
import { TOUR_USERS } from './tour-users';

/** Step 1: the users, their tiers and what each tier allows. */
export async function showUsers(context: TourContext): Promise<void> {
  const { terminal, demo } = context;
  const { color } = terminal;
  terminal.line(color.bold('1. Users and tiers') + color.dim('  (profiles in SQLite via @cascade/profiles)'));
  const rows: string[][] = [];
  for (const user of TOUR_USERS) {
    const profile = await demo.profiles.get(user.input.userId);
    const share = DEMO_TIER_SHARES[profile.tier.name];
    const budget = profile.effectiveBudget();
    const rate = profile.effectiveRateLimits();
    const models = demo.modelIds.filter((id) => profile.canUseModel(id, demo.modelIds));
    rows.push([
      profile.userId,
      profile.tier.name.toUpperCase(),
      // One allowed model: nothing to draft or escalate, so no share to keep.
      models.length < 2 ? '—' : share === undefined ? `target ${profile.effectiveQuality().target.toFixed(2)}` : formatPercent(share),
      models.length === demo.modelIds.length ? 'all' : models.join(', ') || 'none',
      budget.dailyUsd === undefined ? 'unlimited' : `$${budget.dailyUsd}`,
      rate.requestsPerHour === undefined ? 'unlimited' : String(rate.requestsPerHour),
      profile.canUseFeature('streaming') ? 'yes' : 'no',
      user.role,
    ]);
  }
  const table = renderTable(
    [
      { header: 'user' }, { header: 'tier' }, { header: 'quality share', align: 'right' }, { header: 'models' },
      { header: 'daily budget', align: 'right' }, { header: 'req/hour', align: 'right' }, { header: 'stream' }, { header: 'in this tour' },
    ],
    rows,
  );
  for (const line of table) terminal.line(`  ${line}`);
  terminal.line();
}
