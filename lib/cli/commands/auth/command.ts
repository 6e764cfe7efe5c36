/**
 * `eaphost auth`: one whole EAP authentication. Without --radius the embedded authenticator runs
 * the method (or the --config-xml profile); with --radius a RADIUS server does: PAP or MAB as
 * plain RADIUS, a monitoring check (--nagios), or an EAP method relayed in Access-Requests; with
 * --interface an 802.1X authenticator on the wire does. Each form's body loads only when it runs.
 */
import { SHIPPED_METHOD_NAMES } from '../../../core/method-table';
import {
  BLASTRADIUS, FlagFamily, JSON_OUTPUT, NAS, PEER_CREDENTIALS, PEER_TLS, RADIUS_ENDPOINT, RADSEC_CLIENT, bool, text,
} from '../../flags';
import type { CommandDefinition } from '../../main';

/** The shipped methods as a usage line lists them. */
const METHODS = SHIPPED_METHOD_NAMES.join('|');

/** Output of a plain (PAP / MAB) RADIUS authentication: no EAP, so --verbose shows the exchange. */
const PLAIN_OUTPUT: FlagFamily = {
  title: 'Output',
  flags: [
    ...JSON_OUTPUT.flags,
    bool('verbose', 'print the RADIUS exchange on stderr (request and reply attributes; never the User-Password)'),
  ],
};

const AUTH_OUTPUT: FlagFamily = {
  title: 'Output',
  flags: [
    ...JSON_OUTPUT.flags,
    bool('show-keys', 'print the MSK and EMSK (key material: for test set-ups only)'),
    bool('verbose', 'print every EAP packet (and RADIUS exchange) on the way, never passwords or MD5 values'),
  ],
};

const PROFILE_XML: FlagFamily = {
  title: 'Profile XML',
  flags: [
    text('config-xml', 'FILE', 'an EapHostConfig document (UTF-8, or UTF-16 with a BOM) carrying the method and its settings'),
    text('credentials-xml', 'FILE', 'the EapHostUserCredentials document that goes with --config-xml'),
    text('profile', 'FILE', 'with --radius: a network profile (eap-config or the JSON model): runs exactly its EAP settings'),
  ],
};

const EMBEDDED: FlagFamily = {
  title: 'Embedded authenticator',
  flags: [
    text('users', 'FILE', 'JSON users file {"<identity>": {"password": "…"} | {"ntHash": "<32 hex>"}}'),
    text('trust-ephemeral-ca', 'LocalMachine|CurrentUser', "Windows' own TLS methods: put this run's CA into that Root " +
      'store for the run, removed afterwards (CurrentUser: Windows asks to confirm; LocalMachine: an administrator)'),
  ],
};

const PEER_HOST: FlagFamily = {
  title: 'Peer EAPHost',
  flags: [
    text('backend', 'windows|portable', 'which EAPHost runs the peer (default: Windows\' own on win32)'),
  ],
};

const SERVER_CERT: FlagFamily = {
  title: 'Server certificate',
  flags: [
    bool('show-server-cert', "print the certificate chain the server presented, with Windows' SHA-1 thumbprint"),
    text('save-server-cert', 'FILE', 'write that chain to FILE (PEM)'),
  ],
};

const NAGIOS: FlagFamily = {
  title: 'Monitoring (Nagios plugin output: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)',
  flags: [
    bool('nagios', 'one plugin status line instead of the usual output'),
    text('warn-ms', 'N', 'WARNING when the authentication takes N ms or more'),
    text('crit-ms', 'N', 'CRITICAL when it takes N ms or more'),
    text('cert-warn-days', 'D', 'WARNING when the server certificate expires within D days'),
  ],
};

const PLAIN_RADIUS: FlagFamily = {
  title: 'Plain RADIUS (no EAP)',
  flags: [bool('mab', 'MAC Authentication Bypass: the MAC of --calling-station-id as User-Name and User-Password')],
};

const EAPOL_SUPPLICANT: FlagFamily = {
  title: 'IEEE 802.1X on the wire (Linux)',
  flags: [
    text('interface', 'IF', 'authenticate over EAPOL on this Ethernet interface (needs CAP_NET_RAW)'),
    text('start-period', 'MS', 'between EAPOL-Starts while no authenticator answers (default 3000; 3 are sent)'),
    text('auth-period', 'MS', "wait this long for the authenticator's next packet (default 30000)"),
  ],
};

const REVERSE_COA: FlagFamily = {
  title: 'Reverse CoA (experimental, draft-ietf-radext-reverse-coa; with --radsec)',
  flags: [
    text('reverse-coa', 'ack|nak', 'take Disconnect-Requests and CoA-Requests the server sends back down our RadSec connection, ' +
      'checked as a Dynamic Authorization Server checks them, print each and answer ACK, or NAK with Error-Cause 501'),
    text('reverse-coa-wait', 'SECONDS', 'after an Access-Accept, keep the connection open this long for them, or until a ' +
      'Disconnect-Request is ACK\'d (default 0)'),
  ],
};

const RADIUS_FAMILIES = [RADIUS_ENDPOINT, PEER_CREDENTIALS, PEER_TLS, PEER_HOST, PROFILE_XML, NAS, SERVER_CERT, RADSEC_CLIENT, REVERSE_COA,
  BLASTRADIUS, AUTH_OUTPUT];

const given = (argv: readonly string[], flag: string): boolean => argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`));

/** PAP or MAB rather than an EAP method. */
function wantsPlainRadius(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--mab' || arg.toLowerCase() === '--method=pap'
    || (arg === '--method' && argv[i + 1]?.toLowerCase() === 'pap'));
}

/** Which form the arguments ask for: the wire, else the embedded authenticator unless --radius names a server. */
function route(argv: readonly string[]): 'eapol' | 'embedded' | 'plain' | 'nagios' | 'radius' {
  if (given(argv, '--interface')) return 'eapol';
  if (!given(argv, '--radius')) return 'embedded';
  if (wantsPlainRadius(argv)) return 'plain';
  return argv.includes('--nagios') ? 'nagios' : 'radius';
}

export const command: CommandDefinition = {
  name: 'auth',
  summary: 'one whole EAP authentication, against the embedded authenticator or a RADIUS server (--radius)',
  order: 1,
  forms: [
    {
      usage: [
        `auth --method ${METHODS} --identity ID [--password-file FILE] --users FILE [TLS flags] [--json]`,
        'auth --config-xml FILE [--credentials-xml FILE] --users FILE [--json]',
      ],
      families: [PEER_CREDENTIALS, EMBEDDED, PEER_TLS, PEER_HOST, PROFILE_XML, AUTH_OUTPUT],
      run: async ({ values }, io) => (await import('./embedded')).runEmbeddedAuth(values, io.out, io.err),
    },
    {
      usage: [
        `auth --radius HOST:PORT --secret-file FILE --method ${METHODS} --identity ID ` +
          '[--password-file FILE] [TLS flags] [NAS flags] [--json]',
        'auth --radius HOST:PORT --secret-file FILE --config-xml FILE [--credentials-xml FILE] [--json]',
        'auth --radius HOST:PORT --secret-file FILE --profile FILE [--identity ID] [--password-file FILE] [--json]',
      ],
      families: RADIUS_FAMILIES,
      when: (argv) => route(argv) === 'radius',
      run: async ({ values }, io) => (await import('./radius')).radiusAuth(values, io.out, io.err),
    },
    {
      usage: ['auth --radius HOST:PORT --secret-file FILE (--method pap --identity ID --password-file FILE | ' +
        '--mab --calling-station-id MAC) [NAS flags] [--json] [--verbose]'],
      families: [RADIUS_ENDPOINT, PEER_CREDENTIALS, PLAIN_RADIUS, NAS, BLASTRADIUS, PLAIN_OUTPUT],
      when: (argv) => route(argv) === 'plain',
      run: async ({ values }, io) => (await import('./pap')).runPapAuth(values, io),
    },
    {
      usage: ['auth --radius HOST:PORT --secret-file FILE --method … --nagios [--warn-ms N] [--crit-ms N] [--cert-warn-days D]'],
      families: [...RADIUS_FAMILIES, NAGIOS],
      when: (argv) => route(argv) === 'nagios',
      run: async ({ values }, io) => (await import('./nagios')).runNagios(values, io),
      // A monitoring system reads every outcome as a plugin status line: bad usage is UNKNOWN.
      usageError: async (message, io) => (await import('./nagios')).nagiosUnknown(message, io.out),
    },
    {
      usage: [
        `auth --interface IF --method ${METHODS} --identity ID [--password-file FILE] [TLS flags] [--json]`,
        'auth --interface IF --config-xml FILE [--credentials-xml FILE] [--json]',
      ],
      families: [EAPOL_SUPPLICANT, PEER_CREDENTIALS, PEER_TLS, PROFILE_XML, AUTH_OUTPUT],
      when: (argv) => route(argv) === 'eapol',
      run: async ({ values }, io) => (await import('./eapol')).runEapolAuth(values, io),
    },
  ],
};
