/**
 * `eaphost serve`: the embedded authenticator behind RADIUS (or RadSec) for eapol_test, a NAS or
 * a load test; with --interface, an 802.1X authenticator port on the wire. The bodies (serve.ts,
 * serve-eapol.ts) load only when the command runs.
 */
import { INNER_METHOD_NAMES, SHIPPED_METHOD_NAMES, TLS_METHOD_NAMES } from '../../../core/method-table';
import {
  BLASTRADIUS, FlagFamily, JSON_OUTPUT, RADIUS_ENDPOINT, RADSEC_SERVER, bool, revocationFlags, secretFlags, text,
} from '../../flags';

const EAPOL_DAS: FlagFamily = {
  title: 'Dynamic Authorization Server (RFC 5176 Disconnect and CoA; off unless --das)',
  flags: [
    text('das', 'HOST[:PORT]', 'listen for Disconnect-Request and CoA-Request on this address (default port 3799)'),
    { name: 'das-client', type: 'string', multiple: true, value: 'CIDR[=SECRET]',
      help: 'who may send them, by address or network, with its own secret or --das-secret\'s ' +
        '(default: the --radius server, or 127.0.0.1 and ::1). Prefer CIDR with --das-secret-file: every local user can ' +
        'read a command line' },
    ...secretFlags('das-secret', 'SECRET', 'the secret of the --das-client entries that give none'),
    text('das-window', 'SECONDS', 'Event-Timestamp must be this close to our clock, behind or ahead (default 300); each ' +
      'request is remembered against replay until its Event-Timestamp leaves this window'),
    bool('das-no-event-timestamp', 'accept requests without Event-Timestamp (refused by default: no replay window without it)'),
    bool('das-radsec', 'take them over RadSec instead (TLS on TCP, RFC 6614, and DTLS on UDP, RFC 7360; default port 2083) from ' +
      'clients with a certificate of --radsec-ca; one whose address no --das-client holds gets Protocol-Error 406; the secret is ' +
      'RadSec\'s ("radsec", over DTLS "radius/dtls")'),
    ...RADSEC_SERVER.flags.filter((flag) => ['radsec-cert', 'radsec-key', 'radsec-key-password', 'radsec-ca'].includes(flag.name))
      .map((flag) => ({ ...flag, help: `${flag.help} (with --das-radsec)` })),
  ],
};
import type { CommandDefinition } from '../../main';

/** The methods `serve` offers after the TLS ones, strongest first. */
const PLAIN_METHOD_NAMES = SHIPPED_METHOD_NAMES.filter((name) => !(TLS_METHOD_NAMES as readonly string[]).includes(name));

const SERVE: FlagFamily = {
  title: 'Server',
  flags: [
    text('port', 'PORT', 'UDP (or RadSec TCP) port to listen on; 0 picks a free one'),
    text('host', 'ADDR', 'address to bind (default 127.0.0.1)'),
    text('users', 'FILE', 'JSON users file {"<identity>": {"password": "…"} | {"ntHash": "<32 hex>"}}; not needed by a serve ' +
      'that sends every realm away (a --proxy-realm * home or --proxy-discover, no local realm), which refuses a User-Name ' +
      'without a realm, saying why'),
    text('methods', 'LIST', `EAP methods to offer, in order (default: the TLS methods first with --cert, then ${PLAIN_METHOD_NAMES.join(',')})`),
    text('max-conversations', 'N', 'live conversations at most (default 20000)'),
    text('max-tls-conversations', 'N', 'live EAP-TLS, PEAP and TTLS conversations at most, each holding a TLS session (default 2048)'),
    text('step-threads', 'N', 'threads for the TLS methods\' handshake steps (signatures, key exchanges) beside the one that answers ' +
      'every datagram, 0 to 64 (default: one per CPU this process may run on, at most 8; none on one CPU). 0: every step on that ' +
      'thread, the least CPU an authentication, one core\'s worth of handshakes'),
    text('keep-steps-below', 'PERCENT', 'while the engine\'s thread (and the step threads\' work on PEAP, EAP-TTLS and TEAP ' +
      'handshakes, and EAP-TLS\'s without --ocsp-responder) uses less than this share of one core, the engine runs those ' +
      'handshake steps itself, sparing each two thread wakes; above it plus 15 it hands them over. 0 to 100 (default 70); ' +
      '0: always hand them over'),
    { name: 'client', type: 'string', multiple: true, value: 'CIDR=SECRET',
      help: 'a NAS allowed in, by address or network, with its own secret (as clients.conf). Prefer --clients FILE: ' +
        'every local user can read a command line' },
    text('clients', 'FILE', 'one "CIDR SECRET" per line (# comments), as --client; with --radsec, "psk IDENTITY HEXKEY CIDR..." lines ' +
      'instead: RadSec clients known by TLS-PSK (RFC 9813) and where each may connect from (the file mode 0600)'),
    bool('log', 'one line per finished conversation on stdout: client, identity, method, outcome, round trips, time, resumed'),
    text('policy', 'FILE', 'what an Access-Accept carries (VLAN, Session-Timeout, Filter-Id, Class, Reply-Message, any attribute) or a ' +
      'Reject, by rules matched on user, method, NAS, SSID, station ids, NAS-Port-Type: JSON {"rules":[{"match":{…},"reply":{…}} | ' +
      '{"match":{…},"reject":true}]}, first match wins (schema/serve-policy.schema.json); a rule naming method pap turns PAP on'),
    text('mab', 'FILE', 'answer MAC authentication bypass: one MAC a line (any usual spelling), optionally whitespace and a VLAN ' +
      '(1-4094). A MAB request proves only a claimed MAC: Service-Type Call-Check, or the MAC as User-Name and User-Password, ' +
      'the User-Name the MAC Calling-Station-Id names'),
    bool('pap', 'answer PAP (User-Password) requests from --users; off unless given or a --policy rule names method pap. ' +
      'Wrong passwords are slowed: after 5 for one user, one a second; after 100 from one NAS, 20 a second'),
    text('accounting', 'FILE|URL', 'answer Accounting-Requests on the same port and record each session in this SQLite file ' +
      '(npm better-sqlite3@12), or in PostgreSQL at a postgres:// URL (npm pg); a request is acknowledged once it is on disk'),
    text('metrics', 'HOST:PORT', 'serve Prometheus metrics on http://HOST:PORT/metrics, and /healthz (200 once listening)'),
  ],
};

const SERVE_PROXY: FlagFamily = {
  title: 'Proxy (realms forwarded to home servers; docs/proxy.md)',
  flags: [
    { name: 'proxy-realm', type: 'string', multiple: true, value: 'REALM=URL[,URL...]',
      help: 'forward Access-Requests whose User-Name ends in @REALM (any case; * for every realm no other names) to the home ' +
        'server at udp://HOST:PORT, radsec://HOST:PORT (RadSec over TLS) or dtls://HOST:PORT (RadSec over DTLS), or answer ' +
        'them here (local); several URLs: a pool, the first preferred (--proxy-pool-mode). With any, a realm no entry names ' +
        'is rejected with a Reply-Message; a User-Name without a realm is answered here. Without --accounting, a routed ' +
        'realm\'s Accounting-Requests go to its home too (a UDP home\'s on PORT+1), acknowledged once the home has; with it, ' +
        'recorded and spooled in the store, acknowledged once stored, and sent to the home in order' },
    text('proxy-pool-mode', 'MODE', 'how a pool\'s homes take new requests: failover (default: the first alive one) or balance ' +
      '(spread over the alive ones); each EAP conversation stays on its home either way'),
    text('proxy-secret-file', 'FILE', 'the secrets toward the home servers: one line "SECRET" for all UDP ones, and/or "HOST:PORT SECRET" ' +
      'lines (a RadSec home without one: "radsec" over TLS, "radius/dtls" over DTLS)'),
    text('proxy-radsec-cert', 'FILE', 'our certificate (PEM) toward radsec:// and dtls:// home servers'),
    text('proxy-radsec-key', 'FILE', 'its key (PEM)'),
    text('proxy-radsec-ca', 'FILE', 'the CA (PEM) the home servers\' certificates must chain to; their names are checked as auth --radsec checks a server'),
    text('proxy-radsec-server-name', 'NAME', 'the name the home servers\' certificates must carry (a DNS or IP subjectAltName); default each one\'s HOST'),
    text('proxy-radsec-psk-file', 'FILE', 'TLS-PSK toward RadSec home servers instead: "HOST:PORT IDENTITY HEXKEY" lines (mode 0600)'),
    bool('proxy-discover', 'find the home server of a realm no --proxy-realm names (a * entry wins) by RFC 7585 discovery ' +
      '(NAPTR, SRV, A/AAAA) and forward to it over RadSec (TLS or DTLS, as the NAPTR record says), the first 4 found a pool ' +
      'with failover, each certificate checked against --proxy-radsec-ca and the SRV target or the realm\'s NAIRealm; a realm ' +
      'with none found is rejected at once, saying why (answers kept for their TTL, failures 60 s)'),
    { name: 'dns-server', type: 'string', multiple: true, value: 'HOST[:PORT]',
      help: '--proxy-discover asks this DNS server, an IP address ([IPv6]:PORT with a port); by default the system\'s' },
    bool('proxy-reverse-coa', 'experimental, reverse CoA (draft-ietf-radext-reverse-coa): take the Disconnect-Requests and CoA-Requests ' +
      'a radsec:// or dtls:// home sends down our connection to it and carry each to the NAS of a session proxied there (by ' +
      'Operator-Name, else User-Name, Acct-Session-Id, Calling-Station-Id), down that NAS\'s own --radsec connection; ' +
      'its ACK or NAK goes back to the home, and one no NAS is found for is NAK\'d 502 (docs/radsec.md)'),
    bool('proxy-allow-unsigned-replies', 'take home servers\' replies without Message-Authenticator (refused by default with an ' +
      'Access-Reject for the NAS: such a reply can be forged, CVE-2024-3596); counted either way'),
  ],
};

const SERVE_TLS: FlagFamily = {
  title: 'TLS methods (peap, teap, ttls, tls)',
  flags: [
    text('cert', 'FILE', "the server's certificate (PEM), chain after it"),
    text('key', 'FILE', 'its private key (PEM)'),
    ...secretFlags('key-password', 'PW', "the private key's passphrase"),
    text('ca', 'FILE', "the CA of the client certificates EAP-TLS (and TEAP's inner EAP-TLS) accepts"),
    text('inner-method', 'NAME[,NAME…]', 'the inner EAP methods PEAP, TTLS and TEAP offer, the first proposed, another on a Nak ' +
      `(default mschapv2, then any on a Nak but tls): ${INNER_METHOD_NAMES.join(', ')}; tls for TEAP alone, with --ca ` +
      '(PEAP and TTLS leave it out)'),
    text('tls-min', '1.2|1.3', 'lowest TLS version accepted'),
    text('tls-max', '1.2|1.3', 'highest TLS version accepted'),
    text('tls-session-lifetime', 'SECONDS', 'how long a peer may resume its TLS session; 0 = never; default 3600'),
    text('tls-ticket-key-file', 'FILE', 'seal TLS 1.3 session tickets (EAP-TLS, PEAP, TEAP) with the key in FILE (64 random bytes, mode 0600): ' +
      'instances given the same file and --tls-session-lifetime resume each other\'s sessions; read again on SIGHUP (docs/operator.md)'),
    bool('no-fast-reconnect', 'PEAP, TTLS: run phase 2 on a resumed session too (by default a TLS 1.2 session whose phase 2 succeeded skips it, MS-PEAP fast reconnect)'),
    bool('allow-weak-rsa', 'accept EAP-TLS client certificates whose RSA key is under 2048 bits (refused by default)'),
    bool('teap-chaining', 'TEAP: EAP chaining, an inner method for a machine credential, then one for the user'),
    text('teap-secondary-inner-method', 'NAME', "TEAP: EAP chaining, proposing NAME for the user's inner method " +
      "(the first --inner-method for the machine's), as Windows sets up TEAP"),
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

const EAPOL_PORT: FlagFamily = {
  title: 'IEEE 802.1X authenticator port (Linux)',
  flags: [
    text('interface', 'IF', 'serve 802.1X supplicants over EAPOL on this Ethernet interface (needs CAP_NET_RAW)'),
    text('radius', 'HOST:PORT', 'pass every conversation through to this RADIUS server, as a switch does (instead of --users)'),
    text('max-supplicants', 'N', 'stations tracked at once (default 256)'),
    text('max-half-open', 'N', 'conversations in progress at once (default 32)'),
    text('max-starts', 'N', 'conversations begun per second, for stations that answered a Request/Identity (default 100)'),
    text('max-identity-requests', 'N', 'Request/Identity frames per second answering EAPOL-Starts from new MACs (default 20000)'),
    text('retransmit', 'MS', 'resend an unanswered request after this long (default 3000)'),
    text('quiet-period', 'MS', 'after a failure, ignore that supplicant this long (default 60000)'),
    text('nas-identifier', 'ID', "the port's NAS-Identifier, sent to --radius and checked in --das requests (default eaphost)"),
  ],
};

export const command: CommandDefinition = {
  name: 'serve',
  summary: 'the embedded authenticator behind RADIUS (or RadSec), for eapol_test, a NAS or a load test',
  order: 2,
  forms: [
    {
      usage: [
        'serve --port PORT --secret-file FILE --users FILE [--methods LIST] [--cert FILE --key FILE] [--log]',
        'serve --port PORT --users FILE --client 127.0.0.0/8=SECRET [--client ::1=SECRET]... | --clients FILE',
        'serve --port PORT --radsec --radsec-cert FILE --radsec-key FILE --radsec-ca FILE --proxy-realm REALM=radsec://HOST:PORT ' +
          '--proxy-radsec-cert FILE --proxy-radsec-key FILE --proxy-radsec-ca FILE --proxy-reverse-coa',
      ],
      families: [SERVE, { title: 'Shared secret', flags: RADIUS_ENDPOINT.flags.filter((flag) => flag.name.startsWith('secret')) },
        SERVE_PROXY, SERVE_TLS, RADSEC_SERVER, BLASTRADIUS],
      run: async ({ values }, io) => (await import('./serve')).runServe(values, io),
    },
    {
      usage: [
        'serve --interface IF --users FILE [--methods LIST] [--cert FILE --key FILE] [--metrics HOST:PORT] [--json]',
        'serve --interface IF --radius HOST:PORT --secret-file FILE [--json]',
        'serve --interface IF … --das HOST[:PORT] --das-secret-file FILE [--das-client CIDR[=SECRET]]...',
        'serve --interface IF … --das HOST[:PORT] --das-radsec --radsec-cert FILE --radsec-key FILE --radsec-ca FILE [--das-client CIDR]...',
      ],
      families: [EAPOL_PORT, EAPOL_DAS,
        { title: 'Embedded authenticator', flags: SERVE.flags.filter((flag) => ['users', 'methods', 'policy'].includes(flag.name)) },
        { title: 'RADIUS server', flags: RADIUS_ENDPOINT.flags.filter((flag) => flag.name !== 'radius') }, SERVE_TLS,
        { title: 'Metrics', flags: SERVE.flags.filter((flag) => flag.name === 'metrics') }, JSON_OUTPUT],
      when: (argv) => argv.some((arg) => arg === '--interface' || arg.startsWith('--interface=')),
      run: async ({ values }, io) => (await import('./serve-eapol')).runEapolServe(values, io),
    },
  ],
};
