/**
 * `eaphost audit`: which client platforms a RADIUS server will fail, and why, from a few real
 * authentications (lib/audit/). The body (../audit.ts) loads only when it runs.
 */
import {
  FlagFamily, JSON_OUTPUT, PEER_CREDENTIALS, PEER_TLS, RADIUS_ENDPOINT, RADSEC_CLIENT, text,
} from '../../flags';
import type { CommandDefinition } from '../../main';

/** The TLS flags that describe the clients' profile: trust, names and the method's own settings. */
const AUDIT_TLS_FLAGS = ['ca', 'server-name', 'anonymous-identity', 'phase2', 'inner-method', 'cert', 'key', 'key-password', 'key-password-file'];

const AUDIT_PROFILE: FlagFamily = {
  title: PEER_TLS.title,
  flags: [
    ...PEER_TLS.flags.filter((flag) => AUDIT_TLS_FLAGS.includes(flag.name)),
    text('profile', 'FILE', 'a network profile (eap-config or the JSON model): its method, CA, server names and settings'),
  ],
};

const AUDIT_RUN: FlagFamily = {
  title: 'The run',
  flags: [
    text('max-authentications', 'N', 'at most N authentications (default 12, at most 32); one at a time'),
    text('spacing', 'MS', 'pause between authentications (default 250; 0 for none)'),
  ],
};

export const command: CommandDefinition = {
  name: 'audit',
  summary: 'which client platforms (Windows 11/10, Android, Apple, wpa_supplicant) a RADIUS server will fail, and why',
  order: 13,
  forms: [{
    usage: [
      'audit --radius HOST:PORT --secret-file FILE --method peap|ttls|tls|teap --identity ID [--password-file FILE] ' +
        '[--ca FILE] [--server-name NAME] [--json]',
      'audit --radius HOST:PORT --secret-file FILE --profile FILE [--identity ID] [--password-file FILE] [--radsec …] [--json]',
    ],
    families: [RADIUS_ENDPOINT, PEER_CREDENTIALS, AUDIT_PROFILE, RADSEC_CLIENT, AUDIT_RUN, JSON_OUTPUT],
    run: async ({ values }, io) => (await import('./audit')).runAudit(values, io),
  }],
};
