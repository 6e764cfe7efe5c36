/** `eaphost coa`: one CoA-Request (RFC 5176). The body (dynamic-authorization.ts) loads only when it runs. */
import { ACCOUNTING_LOOKUP, DAS_ENDPOINT, DAS_SESSION, RADSEC_CLIENT, FlagFamily, JSON_OUTPUT, text } from '../../flags';
import type { CommandDefinition } from '../../main';

const CHANGES: FlagFamily = {
  title: 'What changes (any further attribute with --attr)',
  flags: [
    text('session-timeout', 'S', 'Session-Timeout'),
    text('idle-timeout', 'S', 'Idle-Timeout'),
    text('filter-id', 'NAME', 'Filter-Id'),
    text('reauthorize', 'STATE', 'Service-Type Authorize-Only with this State (hex): the NAS asks the RADIUS server again'),
  ],
};

export const command: CommandDefinition = {
  name: 'coa',
  summary: "one CoA-Request (RFC 5176) to a NAS: change a session's authorization, and the NAS's ACK or NAK",
  order: 7,
  forms: [{
    usage: ['coa --nas HOST[:PORT] --secret-file FILE (--identity ID | --session-id ID | …) [--session-timeout S] ' +
      '[--filter-id NAME] [--reauthorize STATE] [--attr SPEC=VALUE] [--radsec --radsec-cert FILE --radsec-key FILE --radsec-ca FILE] [--json]'],
    families: [DAS_ENDPOINT, DAS_SESSION, ACCOUNTING_LOOKUP, CHANGES, RADSEC_CLIENT, JSON_OUTPUT],
    run: async (args, io) => (await import('../../dynamic-authorization')).runDynamicAuthorization('coa', args.values, io),
  }],
};
