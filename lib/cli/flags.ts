/**
 * Every flag of every `eaphost` command, declared once by family with its help text. The parser
 * (command-line.ts) and the help text are both built from these, and a test checks that the
 * README's command-line reference lists each of them.
 */
import { INNER_METHOD_NAMES, SHIPPED_METHOD_NAMES, TLS_METHOD_NAMES } from '../core/method-table';

export interface FlagDeclaration {
  name: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in help text: FILE, MS, … */
  value?: string;
  help: string;
}

export interface FlagFamily {
  title: string;
  flags: FlagDeclaration[];
}

/** A list as a sentence says it: "a, b or c". */
const spoken = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
/** The methods `serve` offers after the TLS ones, strongest first. */
const PLAIN_METHOD_NAMES = SHIPPED_METHOD_NAMES.filter((name) => !(TLS_METHOD_NAMES as readonly string[]).includes(name));

const text = (name: string, value: string, help: string): FlagDeclaration => ({ name, type: 'string', value, help });
const bool = (name: string, help: string): FlagDeclaration => ({ name, type: 'boolean', help });

/** The environment variable each secret may come from (secrets.ts reads them). */
export const SECRET_ENVIRONMENT: Record<string, string> = {
  password: 'EAPHOST_PASSWORD',
  secret: 'EAPHOST_SECRET',
  'key-password': 'EAPHOST_KEY_PASSWORD',
};

/** A secret's three ways in besides the discouraged literal: FILE, environment, standard input. */
/** CRLs that `whose` certificate is checked against: read again whenever a file changes. */
function revocationFlags(whose: string): FlagDeclaration[] {
  return [
    { name: 'crl', type: 'string', multiple: true, value: 'FILE',
      help: `a CRL (PEM or DER) ${whose} certificate is checked against; a certificate whose issuer has no CRL here is refused` },
    bool('crl-chain', `check every certificate of ${whose} chain against --crl, not only the certificate itself`),
    bool('crl-allow-stale', 'accept a --crl past its nextUpdate (refused by default)'),
  ];
}

function secretFlags(name: string, value: string, what: string): FlagDeclaration[] {
  return [
    text(name, value, `${what}; "-" reads it from standard input. Prefer --${name}-file or ${SECRET_ENVIRONMENT[name]}: ` +
      'every local user can read a command line'),
    text(`${name}-file`, 'FILE', `reads ${what} from the first line of FILE (keep it mode 0600)`),
  ];
}

export const HELP: FlagFamily = {
  title: 'Help',
  flags: [{ name: 'help', short: 'h', type: 'boolean', help: 'print this help and exit 0' }],
};

export const JSON_OUTPUT: FlagFamily = {
  title: 'Output',
  flags: [bool('json', 'one JSON object on stdout (the shape of schema/cli-output.schema.json)')],
};

/** Output of a plain (PAP / MAB) RADIUS authentication: no EAP, so --verbose shows the exchange. */
export const PLAIN_OUTPUT: FlagFamily = {
  title: 'Output',
  flags: [
    ...JSON_OUTPUT.flags,
    bool('verbose', 'print the RADIUS exchange on stderr (request and reply attributes; never the User-Password)'),
  ],
};

export const AUTH_OUTPUT: FlagFamily = {
  title: 'Output',
  flags: [
    ...JSON_OUTPUT.flags,
    bool('show-keys', 'print the MSK and EMSK (key material: for test set-ups only)'),
    bool('verbose', 'print every EAP packet (and RADIUS exchange) on the way, never passwords or MD5 values'),
  ],
};

export const PEER_CREDENTIALS: FlagFamily = {
  title: 'Method and credentials',
  flags: [
    text('method', 'NAME', `${spoken(SHIPPED_METHOD_NAMES)} (RADIUS mode default md5); pap for plain RADIUS`),
    text('identity', 'ID', 'the user name sent in EAP-Response/Identity'),
    ...secretFlags('password', 'PW', 'the password'),
  ],
};

export const PEER_TLS: FlagFamily = {
  title: `TLS methods (${TLS_METHOD_NAMES.join(', ')})`,
  flags: [
    text('ca', 'FILE', "the CA (PEM) that issued the server's certificate"),
    text('server-name', 'NAME', "the name the server's certificate must carry (exact; *.example.com is not a name)"),
    bool('insecure', "skip server certificate verification: anyone can pose as the server (warned every time)"),
    text('anonymous-identity', 'OUTER', 'the outer identity sent in the clear (PEAP, TTLS)'),
    text('phase2', 'NAME', 'TTLS inner authentication: pap, chap, mschap, mschapv2 or eap'),
    text('inner-method', 'NAME', `the inner EAP method of PEAP, TEAP (and of TTLS with --phase2 eap): ${INNER_METHOD_NAMES.join(', ')}; ` +
      'TEAP also tls (with --cert and --key)'),
    text('cert', 'FILE', "EAP-TLS client certificate (PEM), also TEAP's inner EAP-TLS's"),
    text('key', 'FILE', 'EAP-TLS client private key (PEM)'),
    ...secretFlags('key-password', 'PW', "the private key's passphrase"),
    text('tls-min', '1.2|1.3', 'lowest TLS version offered'),
    text('tls-max', '1.2|1.3', 'highest TLS version offered (1.2 shows the server certificate in the clear)'),
    bool('allow-weak-rsa', "accept a server certificate whose RSA key is under 2048 bits (legacy servers; refused by default)"),
    ...revocationFlags("the server's"),
    text('ocsp', 'off|request|require', "ask the server to staple its certificate's OCSP response and check it " +
      '(signed by its CA or a responder the CA delegated to, about that certificate, current; revoked is refused); ' +
      'require also refuses a server that staples none'),
  ],
};

export const PROFILE_XML: FlagFamily = {
  title: 'Profile XML',
  flags: [
    text('config-xml', 'FILE', 'an EapHostConfig document (UTF-8, or UTF-16 with a BOM) carrying the method and its settings'),
    text('credentials-xml', 'FILE', 'the EapHostUserCredentials document that goes with --config-xml'),
    text('profile', 'FILE', 'with --radius: a network profile (eap-config or the JSON model): runs exactly its EAP settings'),
  ],
};

export const EMBEDDED: FlagFamily = {
  title: 'Embedded authenticator',
  flags: [
    text('users', 'FILE', 'JSON users file {"<identity>": {"password": "…"} | {"ntHash": "<32 hex>"}}'),
    text('backend', 'windows|portable', 'which EAPHost runs the peer (default: Windows\' own on win32)'),
  ],
};

export const RADIUS_ENDPOINT: FlagFamily = {
  title: 'RADIUS server',
  flags: [
    text('radius', 'HOST:PORT', 'the RADIUS server ([v6]:port for IPv6)'),
    ...secretFlags('secret', 'SECRET', 'the shared secret'),
    text('timeout', 'MS', 'wait this long for each reply (default 6000; ping 3000)'),
    text('tries', 'N', 'send each request at most N times (default 3)'),
  ],
};

export const BLASTRADIUS: FlagFamily = {
  title: 'Message-Authenticator (BlastRADIUS, CVE-2024-3596)',
  flags: [
    bool('require-message-authenticator', 'refuse packets without Message-Authenticator (the default)'),
    bool('no-require-message-authenticator', 'accept packets without it (servers still open to BlastRADIUS)'),
  ],
};

export const NAS: FlagFamily = {
  title: 'NAS attributes (what a switch or access point sends)',
  flags: [
    text('nas-ip-address', 'IP', 'NAS-IP-Address (NAS-IPv6-Address for an IPv6 address)'),
    text('nas-identifier', 'ID', 'NAS-Identifier (default "eaphost")'),
    text('called-station-id', 'MAC[:SSID]', 'Called-Station-Id, written AA-BB-CC-DD-EE-FF[:SSID]'),
    text('calling-station-id', 'MAC', 'Calling-Station-Id (with --mab: the device authenticated)'),
    text('framed-mtu', 'N', 'Framed-MTU, 64 to 65535 (default 1400)'),
    text('operator-name', 'NAME', 'Operator-Name, e.g. 1example.net'),
    { name: 'attr', type: 'string', multiple: true, value: 'SPEC=VALUE',
      help: 'any attribute: NAME=VALUE, NUMBER:FORMAT=VALUE or 26:VENDOR:TYPE:FORMAT=VALUE' },
  ],
};

export const RADSEC_CLIENT: FlagFamily = {
  title: 'RadSec (RADIUS over TLS, RFC 6614)',
  flags: [
    bool('radsec', 'talk RadSec over TCP instead of UDP (the secret defaults to "radsec")'),
    text('radsec-cert', 'FILE', 'our RadSec certificate (PEM)'),
    text('radsec-key', 'FILE', 'its private key (PEM)'),
    text('radsec-key-password', 'PW', "the key's passphrase"),
    text('radsec-ca', 'FILE', "the CA that issued the other side's RadSec certificate"),
    text('radsec-server-name', 'NAME', "the name the server's RadSec certificate must carry (default the host)"),
  ],
};

export const RADSEC_SERVER: FlagFamily = {
  title: RADSEC_CLIENT.title,
  flags: RADSEC_CLIENT.flags.filter((flag) => flag.name !== 'radsec-server-name'),
};

export const SERVER_CERT: FlagFamily = {
  title: 'Server certificate',
  flags: [
    bool('show-server-cert', "print the certificate chain the server presented, with Windows' SHA-1 thumbprint"),
    text('save-server-cert', 'FILE', 'write that chain to FILE (PEM)'),
  ],
};

export const NAGIOS: FlagFamily = {
  title: 'Monitoring (Nagios plugin output: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)',
  flags: [
    bool('nagios', 'one plugin status line instead of the usual output'),
    text('warn-ms', 'N', 'WARNING when the authentication takes N ms or more'),
    text('crit-ms', 'N', 'CRITICAL when it takes N ms or more'),
    text('cert-warn-days', 'D', 'WARNING when the server certificate expires within D days'),
  ],
};

export const PLAIN_RADIUS: FlagFamily = {
  title: 'Plain RADIUS (no EAP)',
  flags: [bool('mab', 'MAC Authentication Bypass: the MAC of --calling-station-id as User-Name and User-Password')],
};

export const LOAD: FlagFamily = {
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

export const SERVE: FlagFamily = {
  title: 'Server',
  flags: [
    text('port', 'PORT', 'UDP (or RadSec TCP) port to listen on; 0 picks a free one'),
    text('host', 'ADDR', 'address to bind (default 127.0.0.1)'),
    text('users', 'FILE', 'JSON users file {"<identity>": {"password": "…"} | {"ntHash": "<32 hex>"}}'),
    text('methods', 'LIST', `EAP methods to offer, in order (default: the TLS methods first with --cert, then ${PLAIN_METHOD_NAMES.join(',')})`),
    text('max-conversations', 'N', 'live conversations at most (default 20000)'),
    text('max-tls-conversations', 'N', 'live EAP-TLS, PEAP and TTLS conversations at most, each holding a TLS session (default 2048)'),
    { name: 'client', type: 'string', multiple: true, value: 'CIDR=SECRET',
      help: 'a NAS allowed in, by address or network, with its own secret (as clients.conf)' },
    text('clients', 'FILE', 'one "CIDR SECRET" per line (# comments), as --client'),
    bool('log', 'one line per finished conversation on stdout: client, identity, method, outcome, round trips, time, resumed'),
  ],
};

export const SERVE_TLS: FlagFamily = {
  title: 'TLS methods (peap, teap, ttls, tls)',
  flags: [
    text('cert', 'FILE', "the server's certificate (PEM), chain after it"),
    text('key', 'FILE', 'its private key (PEM)'),
    ...secretFlags('key-password', 'PW', "the private key's passphrase"),
    text('ca', 'FILE', "the CA of the client certificates EAP-TLS (and TEAP's inner EAP-TLS) accepts"),
    text('inner-method', 'NAME', 'the inner EAP method PEAP, TTLS and TEAP propose (default mschapv2; another on a Nak): ' +
      `${INNER_METHOD_NAMES.join(', ')}; tls for TEAP alone, with --ca (PEAP and TTLS keep their default)`),
    text('tls-min', '1.2|1.3', 'lowest TLS version accepted'),
    text('tls-max', '1.2|1.3', 'highest TLS version accepted'),
    text('tls-session-lifetime', 'SECONDS', 'how long a peer may resume its TLS session; 0 = never; default 3600'),
    bool('no-fast-reconnect', 'PEAP, TTLS: run phase 2 on a resumed session too (by default a TLS 1.2 session whose phase 2 succeeded skips it, MS-PEAP fast reconnect)'),
    bool('allow-weak-rsa', 'accept EAP-TLS client certificates whose RSA key is under 2048 bits (refused by default)'),
    bool('teap-chaining', 'TEAP: EAP chaining, an inner method for a machine credential, then one for the user'),
    bool('teap-basic-password', 'TEAP: ask for the password in a Basic-Password-Auth TLV, not by an inner EAP method (clear-text passwords only)'),
    text('teap-mschapv2-key-order', 'hostap|windows', "TEAP: the order of an inner EAP-MSCHAPv2's keys in the key chain; default hostap (docs/teap.md)"),
    ...revocationFlags('EAP-TLS client'),
    text('ocsp-response', 'FILE', "a DER OCSP response for --cert, stapled to it for peers that ask (TLS 1.2 and 1.3); " +
      'read again when the file changes'),
    text('ocsp-responder', 'URL', 'EAP-TLS: ask this OCSP responder (http://HOST:PORT/PATH) about each client certificate; ' +
      'answers are kept until their nextUpdate; a client is refused when it cannot be reached'),
    bool('ocsp-responder-fail-open', 'let an EAP-TLS client in when --ocsp-responder cannot answer (refused by default)'),
  ],
};

export const EAPOL_SUPPLICANT: FlagFamily = {
  title: 'IEEE 802.1X on the wire (Linux)',
  flags: [
    text('interface', 'IF', 'authenticate over EAPOL on this Ethernet interface (needs CAP_NET_RAW)'),
    text('start-period', 'MS', 'between EAPOL-Starts while no authenticator answers (default 3000; 3 are sent)'),
    text('auth-period', 'MS', "wait this long for the authenticator's next packet (default 30000)"),
  ],
};

export const EAPOL_PORT: FlagFamily = {
  title: 'IEEE 802.1X authenticator port (Linux)',
  flags: [
    text('interface', 'IF', 'serve 802.1X supplicants over EAPOL on this Ethernet interface (needs CAP_NET_RAW)'),
    text('radius', 'HOST:PORT', 'pass every conversation through to this RADIUS server, as a switch does (instead of --users)'),
    text('max-supplicants', 'N', 'stations tracked at once (default 256)'),
    text('max-half-open', 'N', 'conversations in progress at once (default 32)'),
    text('retransmit', 'MS', 'resend an unanswered request after this long (default 3000)'),
    text('quiet-period', 'MS', 'after a failure, ignore that supplicant this long (default 60000)'),
  ],
};

export const ACCT: FlagFamily = {
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

export const CONFIG: FlagFamily = {
  title: 'Profile',
  flags: [
    text('method', 'NAME', 'peap, tls, ttls, teap, mschapv2 (Windows\' own; teap without --credentials) or gtc, md5 (shipped)'),
    bool('windows', "Windows' own methods' XML (default on win32)"),
    bool('shipped', "this package's methods' XML (default elsewhere)"),
    bool('print-xml', 'write the XML to stdout (required)'),
    bool('credentials', 'the EapHostUserCredentials document instead, from --identity and --password'),
    text('identity', 'ID', 'the user name (with --credentials)'),
    ...secretFlags('password', 'PW', 'the password (with --credentials)'),
  ],
};
