import { parseArgs } from 'node:util';
import { CascadeError } from '@cascade/core';
import { createProfileManager } from '@cascade/profiles';
import { createAdminActions } from '../admin/admin-actions';
import { openDemoDatabase } from '../users/demo-database';
import { renderTable } from './render-table';
import type { Terminal } from './terminal';
import { USAGE } from './usage';

/** `pnpm demo admin create-user|create-key|set-tier|list|revoke-key ...` */
export async function commandAdmin(args: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { tier: { type: 'string' }, label: { type: 'string' }, db: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, first, second] = positionals;
  const database = openDemoDatabase(values.db);
  try {
    const profiles = createProfileManager({ cacheTtlMs: 0, maxCacheSize: 0 }, { store: database.profiles });
    const admin = createAdminActions(profiles, database.keys);
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
        const rows = (await admin.list()).flatMap((user) => user.keys.map((key) => [user.userId, user.tier, `#${key.id}`, key.hint, key.label ?? '', key.createdAt]));
        for (const line of renderTable([{ header: 'user' }, { header: 'tier' }, { header: 'key' }, { header: 'hint' }, { header: 'label' }, { header: 'created' }], rows)) terminal.line(line);
        return 0;
      }
      case 'revoke-key': {
        const id = Number(need(first, 'a key id (see admin list)').replace(/^#/, ''));
        if (!Number.isInteger(id)) throw new CascadeError('INVALID_INPUT', `Key id "${first}" is not a number: see \`admin list\`.`);
        terminal.line(admin.revokeKey(id) ? `revoked key #${id}` : `no active key #${id}`);
        return 0;
      }
      default:
        throw new CascadeError('INVALID_INPUT', `Unknown admin action "${action ?? ''}".\n\n${USAGE}`);
    }
  } finally {
    database.close();
  }
}
