import { parseArgs } from 'node:util';
import { CascadeError } from '@cascade/core';
import { createProfileManager } from '@cascade/profiles';
import { createAdminActions } from '../admin/admin-actions';
import { openDemoPersonalData } from '../observability/demo-personal-data';
import { openDemoStorage } from '../users/demo-storage';
import { renderTable } from './render-table';
import type { Terminal } from './terminal';
import { USAGE } from './usage';

/** The admin CLI is alone on the file and serves no one: it may wait for a busy server's lock. */
const ADMIN_BUSY_TIMEOUT_MS = 5_000;

/** `pnpm demo admin create-user|create-key|set-tier|list|revoke-key|delete-user ...` */
export async function commandAdmin(args: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { tier: { type: 'string' }, label: { type: 'string' }, db: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, first, second] = positionals;
  const database = await openDemoStorage({ file: values.db, busyTimeoutMs: ADMIN_BUSY_TIMEOUT_MS });
  try {
    const profiles = createProfileManager({ cacheTtlMs: 0, maxCacheSize: 0 }, { store: database.profiles });
    const admin = createAdminActions(profiles, database.keys, { profileUserIds: () => database.profileUserIds() });
    const need = (value: string | undefined, what: string): string => {
      if (!value) throw new CascadeError('INVALID_INPUT', `admin ${action} needs ${what}.\n\n${USAGE}`);
      return value;
    };
    switch (action) {
      case 'create-user': {
        const profile = await admin.createUser(need(first, 'a user id'), values.tier);
        terminal.line(`created user ${profile.userId} on tier ${profile.tier.name}`);
        return 0;
      }
      case 'set-tier': {
        const profile = await admin.setTier(need(first, 'a user id'), need(second ?? values.tier, 'a tier'));
        terminal.line(`user ${profile.userId} is now on tier ${profile.tier.name} (a running server picks it up within 5 s)`);
        return 0;
      }
      case 'create-key': {
        const { key, record } = await admin.createKey(need(first, 'a user id'), values.label);
        terminal.line(`API key #${record.id} for ${record.userId} (shown once, stored as a SHA-256 hash):`);
        terminal.line(key);
        return 0;
      }
      case 'list': {
        const users = await admin.list();
        const rows = users.flatMap((user) => {
          const tier = user.tier ?? (user.problem ? '(bad profile)' : '(no profile: keys refused)');
          return user.keys.length === 0 ? [[user.userId, tier, '', '', '', '']] : user.keys.map((key) => [user.userId, tier, `#${key.id}`, key.hint, key.label ?? '', key.createdAt]);
        });
        for (const line of renderTable([{ header: 'user' }, { header: 'tier' }, { header: 'key' }, { header: 'hint' }, { header: 'label' }, { header: 'created' }], rows)) terminal.line(line);
        const problems = users.filter((user) => user.problem !== undefined);
        for (const user of problems) terminal.line(`problem with user ${user.userId}: ${user.problem}`);
        // Listing finished; a bad row is still a failure an operator's script should see.
        return problems.length > 0 ? 1 : 0;
      }
      case 'delete-user': {
        const deleted = await admin.deleteUser(need(first, 'a user id'));
        terminal.line(
          deleted.profileDeleted || deleted.keysDeleted > 0
            ? `deleted user ${deleted.userId}: profile ${deleted.profileDeleted ? 'deleted' : 'was already missing'}, ${deleted.keysDeleted} API key${deleted.keysDeleted === 1 ? '' : 's'} deleted (they stop working now); usage rows kept as billing history`
            : `no user ${deleted.userId}: no profile and no keys, nothing deleted`,
        );
        return deleted.profileDeleted || deleted.keysDeleted > 0 ? 0 : 1;
      }
      case 'revoke-key': {
        const id = Number(need(first, 'a key id (see admin list)').replace(/^#/, ''));
        if (!Number.isInteger(id)) throw new CascadeError('INVALID_INPUT', `Key id "${first}" is not a number: see \`admin list\`.`);
        terminal.line((await admin.revokeKey(id)) ? `revoked key #${id}` : `no active key #${id}`);
        return 0;
      }
      case 'export-user':
      case 'erase-user': {
        const userId = need(first, 'a user id');
        const personal = openDemoPersonalData(database);
        try {
          if (action === 'export-user') {
            terminal.line(JSON.stringify(await personal.requests.export(userId), null, 2));
            return 0;
          }
          const erased = await personal.requests.erase(userId);
          terminal.line(`erased user ${userId}: ${Object.entries(erased).map(([source, count]) => `${source} ${String(count)}`).join(', ')}`);
          return 0;
        } finally {
          await personal.close();
        }
      }
      default:
        throw new CascadeError('INVALID_INPUT', `Unknown admin action "${action ?? ''}".\n\n${USAGE}`);
    }
  } finally {
    await database.close();
  }
}
