/** `eaphost sessions`: the sessions serve --accounting recorded. The body (sessions.ts beside it) loads only when it runs. */
import { text, bool } from '../../flags';
import type { CommandDefinition } from '../../main';

export const command: CommandDefinition = {
  name: 'sessions',
  summary: 'the sessions NASes reported to serve --accounting: open ones, or all, by user, station or session',
  order: 14,
  forms: [{
    usage: ['sessions --accounting FILE|URL [--user NAME] [--mac MAC] [--session ID] [--all] [--json]'],
    families: [{
      title: 'Sessions',
      flags: [
        text('accounting', 'FILE|URL', 'the store serve --accounting writes: an SQLite file, or a postgres:// URL'),
        text('user', 'NAME', 'only this User-Name'),
        text('mac', 'MAC', 'only this station (Calling-Station-Id, any usual spelling of a MAC)'),
        text('session', 'ID', 'only this Acct-Session-Id'),
        bool('all', 'closed sessions too (by default only open ones)'),
        bool('json', 'one JSON array on stdout'),
      ],
    }],
    run: async ({ values }, io) => (await import('./sessions')).runSessions(values, io),
  }],
};
