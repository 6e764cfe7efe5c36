/**
 * The flag families several `eaphost` commands share (credentials, TLS, the RADIUS server, NAS
 * attributes, RadSec, secrets), each flag declared once with its help text, and the helpers a
 * command file declares its own families with. The parser and the help text (main.ts) are both
 * built from the declarations, and docs/cli.md is generated from them.
 */
import { INNER_METHOD_NAMES, SHIPPED_METHOD_NAMES, TLS_METHOD_NAMES } from '../core/method-table';
import { TLS_ENGINE_BUILT } from '../session/builtin';
import { DEFAULT_RADSEC_LIMITS } from '../radius/radsec/admission';

// Windows on Arm's build has no TLS engine (docs/windows.md): its help says so where it names methods.
const NO_TLS_HERE = TLS_ENGINE_BUILT ? '' : ` (this win32-arm64 build has no TLS engine: ${TLS_METHOD_NAMES.join(', ')} are not built)`;

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

/** A flag that takes a value, shown in help as `--name VALUE`. */
export const text = (name: string, value: string, help: string): FlagDeclaration => ({ name, type: 'string', value, help });
/** A flag that is there or not. */
export const bool = (name: string, help: string): FlagDeclaration => ({ name, type: 'boolean', help });

/** The environment variable each secret may come from (secrets.ts reads them). */
export const SECRET_ENVIRONMENT: Record<string, string> = {
  password: 'EAPHOST_PASSWORD',
  secret: 'EAPHOST_SECRET',
  'key-password': 'EAPHOST_KEY_PASSWORD',
  'das-secret': 'EAPHOST_DAS_SECRET',
};

/** CRLs that `whose` certificate is checked against: read again whenever a file changes. */
export function revocationFlags(whose: string): FlagDeclaration[] {
  return [
    { name: 'crl', type: 'string', multiple: true, value: 'FILE',
      help: `a CRL (PEM or DER) ${whose} certificate is checked against; a certificate whose issuer has no CRL here is refused` },
    bool('crl-chain', `check every certificate of ${whose} chain against --crl, not only the certificate itself`),
    bool('crl-allow-stale', 'accept a --crl past its nextUpdate (refused by default)'),
  ];
}

/** A secret's ways in besides the discouraged literal: FILE, environment, standard input. */
export function secretFlags(name: string, value: string, what: string): FlagDeclaration[] {
  return [
    text(name, value, `${what}; "-" reads it from standard input. Prefer --${name}-file or ${SECRET_ENVIRONMENT[name]}: ` +
      'every local user can read a command line'),
    text(`${name}-file`, 'FILE', `reads ${what} from the first line of FILE (keep it mode 0600)`),
  ];
}

export const JSON_OUTPUT: FlagFamily = {
  title: 'Output',
  flags: [bool('json', 'one JSON object on stdout (the shape of schema/cli-output.schema.json)')],
};

export const PEER_CREDENTIALS: FlagFamily = {
  title: 'Method and credentials',
  flags: [
    text('method', 'NAME', `${spoken(SHIPPED_METHOD_NAMES)} (RADIUS mode default md5); pap for plain RADIUS${NO_TLS_HERE}`),
    text('identity', 'ID', 'the user name sent in EAP-Response/Identity'),
    ...secretFlags('password', 'PW', 'the password'),
  ],
};

export const PEER_TLS: FlagFamily = {
  title: `TLS methods (${TLS_METHOD_NAMES.join(', ')})${NO_TLS_HERE}`,
  flags: [
    text('ca', 'FILE', "the CA (PEM) that issued the server's certificate"),
    text('server-name', 'NAME', "the name the server's certificate must carry (exact; *.example.com is not a name)"),
    bool('insecure', "skip server certificate verification: anyone can pose as the server (warned every time)"),
    text('anonymous-identity', 'OUTER', 'the outer identity sent in the clear (PEAP, TTLS)'),
    text('phase2', 'NAME', 'TTLS inner authentication: pap, chap, mschap, mschapv2 or eap'),
    text('inner-method', 'NAME', `the inner EAP method of PEAP, TEAP (and of TTLS with --phase2 eap): ${INNER_METHOD_NAMES.join(', ')}; ` +
      'TEAP also tls (with --cert and --key)'),
    text('teap-secondary-inner-method', 'NAME', "TEAP: EAP chaining as Windows sets it up, the user's inner method " +
      "after --inner-method's, the machine's (e.g. --inner-method tls --teap-secondary-inner-method mschapv2)"),
    text('teap-mschapv2-key-order', 'hostap|windows', "TEAP: accept an inner EAP-MSCHAPv2's keys in this order only " +
      '(default: either, docs/teap.md)'),
    text('cert', 'FILE', "EAP-TLS client certificate (PEM), also TEAP's inner EAP-TLS's"),
    text('key', 'FILE', 'EAP-TLS client private key (PEM)'),
    ...secretFlags('key-password', 'PW', "the private key's passphrase"),
    text('cert-thumbprint', 'HEX', 'Windows: the client certificate from the certificate store, by SHA-1 thumbprint ' +
      '(its key signs in the store; instead of --cert and --key)'),
    text('cert-subject', 'TEXT', 'Windows: the client certificate from the certificate store whose subject contains TEXT ' +
      '(exactly one valid now with a key)'),
    text('cert-store', 'LOCATION\\NAME', 'the store of --cert-thumbprint / --cert-subject (default CurrentUser\\My; ' +
      'LocalMachine\\My for the machine\'s)'),
    text('tls-min', '1.2|1.3', 'lowest TLS version offered'),
    text('tls-max', '1.2|1.3', 'highest TLS version offered'),
    bool('allow-weak-rsa', "accept a server certificate whose RSA key is under 2048 bits (legacy servers; refused by default)"),
    ...revocationFlags("the server's"),
    text('ocsp', 'off|request|require', "ask the server to staple its certificate's OCSP response and check it " +
      '(signed by its CA or a responder the CA delegated to, about that certificate, current; revoked is refused); ' +
      'require also refuses a server that staples none'),
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

/** The NAS a Disconnect-Request or CoA-Request (RFC 5176) goes to. */
export const DAS_ENDPOINT: FlagFamily = {
  title: 'The NAS (its Dynamic Authorization Server)',
  flags: [
    text('nas', 'HOST[:PORT]', "the NAS's Dynamic Authorization Server ([v6]:port for IPv6; default port 3799, 2083 with --radsec)"),
    ...secretFlags('secret', 'SECRET', 'the shared secret'),
    text('timeout', 'MS', 'wait this long for the answer, over all tries (default 6000)'),
    text('tries', 'N', 'send the request at most N times, the same bytes each time (default 3; over UDP only)'),
    bool('no-event-timestamp', 'send no Event-Timestamp (RFC 5176 §3.5; sent by default, some NASes require it)'),
  ],
};

/** Which session a Disconnect-Request or CoA-Request is about (RFC 5176 §3 session identification). */
export const DAS_SESSION: FlagFamily = {
  title: 'The session (at least one of --identity to --nas-port; values exactly as the NAS sent them)',
  flags: [
    text('identity', 'ID', 'User-Name'),
    text('session-id', 'ID', 'Acct-Session-Id, as the NAS sent it in accounting'),
    text('multi-session-id', 'ID', 'Acct-Multi-Session-Id'),
    text('calling-station-id', 'MAC', "Calling-Station-Id: the station's MAC address"),
    text('called-station-id', 'ID', 'Called-Station-Id'),
    text('framed-ip-address', 'IP', "Framed-IP-Address: the station's IPv4 address"),
    text('nas-port', 'N', 'NAS-Port'),
    text('nas-ip-address', 'IP', 'NAS-IP-Address (NAS-IPv6-Address for an IPv6 address): the NAS the session is on'),
    text('nas-identifier', 'ID', 'NAS-Identifier: the NAS the session is on'),
    { name: 'attr', type: 'string', multiple: true, value: 'SPEC=VALUE',
      help: 'any further attribute: NAME=VALUE, NUMBER:FORMAT=VALUE or 26:VENDOR:TYPE:FORMAT=VALUE' },
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
  title: 'RadSec (RADIUS over TLS, RFC 6614; TLS-PSK, RFC 9813)',
  flags: [
    bool('radsec', 'talk RadSec over TCP instead of UDP (the secret defaults to "radsec", over DTLS to "radius/dtls")'),
    text('radsec-cert', 'FILE', 'our RadSec certificate (PEM)'),
    text('radsec-key', 'FILE', 'its private key (PEM)'),
    text('radsec-key-password', 'PW', "the key's passphrase"),
    text('radsec-ca', 'FILE', "the CA that issued the other side's RadSec certificate"),
    text('radsec-server-name', 'NAME', "the name the server's RadSec certificate must carry (default the host)"),
    bool('radsec-allow-cn-only', "accept a server certificate that names the server only in its CN, with no DNS subjectAltName: " +
      'weaker, a CN is untyped free text that any name check reads as a host name'),
    text('radsec-psk-identity', 'ID', 'TLS-PSK (RFC 9813) instead of certificates: the PSK identity we send'),
    text('radsec-psk-file', 'FILE', 'the PSK: hex, or the raw bytes; at least 16 bytes; the file mode 0600 (checked)'),
    text('radsec-transport', 'tls|dtls', 'RadSec over TLS on TCP (default), or over DTLS 1.2 on UDP (RFC 7360; the secret then ' +
      'defaults to "radius/dtls")'),
    text('radius-version', '1.0|1.1|auto', 'RADIUS/1.1 (RFC 9765: a Token, no MD5, no shared secret) over TLS 1.3 by ALPN: 1.0 offers ' +
      'radius/1.0 only (a client\'s default), 1.1 requires radius/1.1, auto takes either, 1.1 when both ends can (serve\'s default)'),
  ],
};

const radsecDefaults = DEFAULT_RADSEC_LIMITS;
export const RADSEC_SERVER: FlagFamily = {
  title: RADSEC_CLIENT.title,
  flags: [
    // A listener's PSK clients are `psk` lines of --clients FILE.
    ...RADSEC_CLIENT.flags.filter((flag) => !['radsec-server-name', 'radsec-allow-cn-only', 'radsec-transport'].includes(flag.name) &&
      !flag.name.startsWith('radsec-psk-')),
    text('radsec-max-connections', 'N', 'RadSec connections at once; at the cap a newcomer closes an unfinished handshake, ' +
      'one stalled (the server\'s bytes unanswered for a second) before one that sent nothing before one moving, the oldest ' +
      'of the /16 or /32 holding the most (prefixes that authenticated before rank above the rest and keep a few slots), ' +
      `or is closed when all are authenticated (default ${radsecDefaults.maxConnections})`),
    text('radsec-known-prefixes', 'FILE', 'keep the /24 and /56 prefixes whose RadSec connections authenticated in FILE ' +
      '(read at start, written as one is added), so they rank above unknown ones after a restart'),
    text('radsec-max-connections-per-address', 'N', 'RadSec connections from one address at once, displacing that address\'s ' +
      `oldest unfinished handshake (default ${radsecDefaults.maxConnectionsPerAddress})`),
    text('radsec-handshake-timeout', 'SECONDS', 'close a RadSec connection whose TLS handshake is not done this long after it ' +
      `was accepted (default ${radsecDefaults.handshakeTimeoutMs / 1000})`),
    text('radsec-idle-timeout', 'SECONDS', 'close an authenticated RadSec connection that sends no packet for this long; 0 = never ' +
      `(default ${radsecDefaults.idleTimeoutMs / 1000})`),
    text('radsec-max-reply-buffer', 'BYTES', 'stop reading a RadSec connection while more than this many bytes of its replies ' +
      `wait unread, at least 16384 (default ${radsecDefaults.maxBufferedReplyBytes})`),
  ],
};

/** disconnect and coa: the session found in serve --accounting's store (lib/cli/accounting-sessions.ts). */
export const ACCOUNTING_LOOKUP: FlagFamily = {
  title: 'The session found in serve --accounting\'s store (instead of naming it and the NAS by hand)',
  flags: [
    text('accounting', 'FILE|URL', 'the store: an SQLite file, or a postgres:// URL'),
    text('user', 'NAME', 'the open session of this User-Name'),
    text('mac', 'MAC', 'the open session of this station (Calling-Station-Id, any usual spelling)'),
    text('session', 'ID', 'the open session of this Acct-Session-Id'),
  ],
};
