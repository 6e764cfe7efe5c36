/** `eaphost disconnect`: one Disconnect-Request (RFC 5176). The body (dynamic-authorization.ts) loads only when it runs. */
import { ACCOUNTING_LOOKUP, DAS_ENDPOINT, DAS_SESSION, RADSEC_CLIENT, JSON_OUTPUT } from '../../flags';
import type { CommandDefinition } from '../../main';

export const command: CommandDefinition = {
  name: 'disconnect',
  summary: "one Disconnect-Request (RFC 5176) to a NAS: end a session, and the NAS's ACK or NAK",
  order: 6,
  forms: [{
    usage: ['disconnect --nas HOST[:PORT] --secret-file FILE (--identity ID | --session-id ID | --calling-station-id MAC | …) [--radsec --radsec-cert FILE --radsec-key FILE --radsec-ca FILE] [--json]'],
    families: [DAS_ENDPOINT, DAS_SESSION, ACCOUNTING_LOOKUP, RADSEC_CLIENT, JSON_OUTPUT],
    run: async (args, io) => (await import('../../dynamic-authorization')).runDynamicAuthorization('disconnect', args.values, io),
  }],
};
