/** `eaphost acct`: one Accounting-Request (RFC 2866). The body (acct.ts) loads only when it runs. */
import { FlagFamily, JSON_OUTPUT, NAS, RADIUS_ENDPOINT, RADSEC_CLIENT, text } from '../../flags';
import type { CommandDefinition } from '../../main';

const ACCT: FlagFamily = {
  title: 'Accounting',
  flags: [
    text('identity', 'ID', 'User-Name'),
    text('session-id', 'ID', 'Acct-Session-Id (start makes one up; stop and update need the one start used)'),
    text('session-time', 'S', 'Acct-Session-Time (stop, update; default 0)'),
    text('input-octets', 'N', 'Acct-Input-Octets'),
    text('output-octets', 'N', 'Acct-Output-Octets'),
    text('terminate-cause', 'N', 'Acct-Terminate-Cause (stop; default 1, User-Request)'),
  ],
};

export const command: CommandDefinition = {
  name: 'acct',
  summary: 'one Accounting-Request (RFC 2866) as a NAS sends it',
  order: 5,
  forms: [{
    usage: ['acct start|stop|update --radius HOST:PORT --secret-file FILE --identity ID [--session-id ID] [--json]'],
    families: [RADIUS_ENDPOINT, ACCT, NAS, RADSEC_CLIENT, JSON_OUTPUT],
    positionals: true,
    run: async (args, io) => (await import('./acct')).runAcct(args, io),
  }],
};
