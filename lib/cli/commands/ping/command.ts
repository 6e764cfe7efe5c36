/** `eaphost ping`: one Status-Server (RFC 5997). The body (ping.ts) loads only when it runs. */
import { JSON_OUTPUT, RADIUS_ENDPOINT, RADSEC_CLIENT } from '../../flags';
import type { CommandDefinition } from '../../main';

export const command: CommandDefinition = {
  name: 'ping',
  summary: 'one Status-Server (RFC 5997): is the server alive, and is the shared secret right?',
  order: 4,
  forms: [{
    usage: ['ping --radius HOST:PORT --secret-file FILE [--timeout MS] [--tries N] [--json]',
      'ping --radius HOST:PORT --radsec (--radsec-cert FILE --radsec-key FILE --radsec-ca FILE | --radsec-psk-identity ID ' +
        '--radsec-psk-file FILE) [--timeout MS] [--json]'],
    families: [RADIUS_ENDPOINT, RADSEC_CLIENT, JSON_OUTPUT],
    run: async ({ values }, io) => (await import('./ping')).runPing(values, io),
  }],
};
