/**
 * `eaphost load`: many authentications against one RADIUS server, with rates and latency
 * percentiles. The body (load/) loads only when the command runs.
 */
import { SHIPPED_METHOD_NAMES } from '../../../core/method-table';
import { BLASTRADIUS, FlagFamily, JSON_OUTPUT, NAS, PEER_CREDENTIALS, PEER_TLS, RADIUS_ENDPOINT, RADSEC_CLIENT, bool, text } from '../../flags';
import type { CommandDefinition } from '../../main';

const LOAD: FlagFamily = {
  title: 'Load',
  flags: [
    text('users', 'FILE', 'JSON users file to cycle through (passwords, not NT hashes)'),
    bool('mab', 'MAB requests (MAC of --calling-station-id, or one MAC per request with --mac-count)'),
    text('mac-count', 'N', 'with --mab: cycle through N MACs counting up from --calling-station-id'),
    text('concurrency', 'N', 'authentications in flight at once (default 10, at most 1000)'),
    text('rate', 'R', 'start at most R per second'),
    text('duration', 'S', 'run for S seconds'),
    text('count', 'N', 'run N authentications (default 100)'),
  ],
};

export const command: CommandDefinition = {
  name: 'load',
  summary: 'many authentications against one RADIUS server, with rates and latency percentiles',
  order: 3,
  forms: [{
    usage: [
      `load --radius HOST:PORT --secret-file FILE --method ${SHIPPED_METHOD_NAMES.join('|')}|pap|acct (--users FILE | --identity ID ` +
        '--password-file FILE) [--concurrency N] [--rate R] [--duration S | --count N] [--json]',
      'load --radius HOST:PORT --secret-file FILE --mab --calling-station-id MAC [--mac-count N] [--concurrency N] …',
    ],
    families: [RADIUS_ENDPOINT, PEER_CREDENTIALS, LOAD, PEER_TLS, NAS, RADSEC_CLIENT, BLASTRADIUS, JSON_OUTPUT],
    run: async ({ values }, io) => (await import('.')).runLoad(values, io),
  }],
};
