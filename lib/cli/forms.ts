/**
 * The forms of the `eaphost` commands as declarations: what each form takes, by flag family. The parser of
 * each command and its `--help` are built from the same entry here.
 */
import { CommandDeclaration, familyHelp } from './command-line';
import {
  ACCT, AUTH_OUTPUT, BLASTRADIUS, CONFIG, EAPOL_PORT, EAPOL_SUPPLICANT, EMBEDDED, FlagFamily, HELP, JSON_OUTPUT, LOAD, PLAIN_OUTPUT, NAGIOS, NAS, PEER_CREDENTIALS,
  PEER_TLS, PLAIN_RADIUS, PROFILE_XML, RADIUS_ENDPOINT, RADSEC_CLIENT, RADSEC_SERVER, SERVE, SERVE_TLS, SERVER_CERT,
} from './flags';
import { SHIPPED_METHOD_NAMES } from '../core/method-table';
import { PROFILE_COMMAND } from './profile/flags';

/** The shipped methods as a usage line lists them. */
const METHODS = SHIPPED_METHOD_NAMES.join('|');

export const AUTH_EMBEDDED: CommandDeclaration = {
  name: 'auth',
  summary: 'one whole EAP authentication, against the embedded authenticator or a RADIUS server (--radius)',
  usage: [
    `auth --method ${METHODS} --identity ID [--password-file FILE] --users FILE [TLS flags] [--json]`,
    'auth --config-xml FILE [--credentials-xml FILE] --users FILE [--json]',
  ],
  families: [PEER_CREDENTIALS, EMBEDDED, PEER_TLS, PROFILE_XML, AUTH_OUTPUT],
};

export const AUTH_RADIUS: CommandDeclaration = {
  name: 'auth',
  summary: AUTH_EMBEDDED.summary,
  usage: [
    `auth --radius HOST:PORT --secret-file FILE --method ${METHODS} --identity ID ` +
      '[--password-file FILE] [TLS flags] [NAS flags] [--json]',
    'auth --radius HOST:PORT --secret-file FILE --config-xml FILE [--credentials-xml FILE] [--json]',
    'auth --radius HOST:PORT --secret-file FILE --profile FILE [--identity ID] [--password-file FILE] [--json]',
  ],
  families: [RADIUS_ENDPOINT, PEER_CREDENTIALS, PEER_TLS, PROFILE_XML, NAS, SERVER_CERT, RADSEC_CLIENT, BLASTRADIUS, AUTH_OUTPUT],
};

export const AUTH_EAPOL: CommandDeclaration = {
  name: 'auth',
  summary: AUTH_EMBEDDED.summary,
  usage: [
    `auth --interface IF --method ${METHODS} --identity ID [--password-file FILE] [TLS flags] [--json]`,
    'auth --interface IF --config-xml FILE [--credentials-xml FILE] [--json]',
  ],
  families: [EAPOL_SUPPLICANT, PEER_CREDENTIALS, PEER_TLS, PROFILE_XML, AUTH_OUTPUT],
};

export const AUTH_NAGIOS: CommandDeclaration = {
  name: 'auth',
  summary: AUTH_EMBEDDED.summary,
  usage: ['auth --radius HOST:PORT --secret-file FILE --method … --nagios [--warn-ms N] [--crit-ms N] [--cert-warn-days D]'],
  families: [...AUTH_RADIUS.families, NAGIOS],
};

export const AUTH_PLAIN: CommandDeclaration = {
  name: 'auth',
  summary: AUTH_EMBEDDED.summary,
  usage: ['auth --radius HOST:PORT --secret-file FILE (--method pap --identity ID --password-file FILE | ' +
    '--mab --calling-station-id MAC) [NAS flags] [--json] [--verbose]'],
  families: [RADIUS_ENDPOINT, PEER_CREDENTIALS, PLAIN_RADIUS, NAS, BLASTRADIUS, PLAIN_OUTPUT],
};

export const SERVE_COMMAND: CommandDeclaration = {
  name: 'serve',
  summary: 'the embedded authenticator behind RADIUS (or RadSec), for eapol_test, a NAS or a load test',
  usage: [
    'serve --port PORT --secret-file FILE --users FILE [--methods LIST] [--cert FILE --key FILE] [--log]',
    'serve --port PORT --users FILE --client 127.0.0.0/8=SECRET [--client ::1=SECRET]... | --clients FILE',
  ],
  families: [SERVE, { title: 'Shared secret', flags: RADIUS_ENDPOINT.flags.filter((flag) => flag.name.startsWith('secret')) },
    SERVE_TLS, RADSEC_SERVER, BLASTRADIUS],
};

export const SERVE_EAPOL: CommandDeclaration = {
  name: 'serve',
  summary: SERVE_COMMAND.summary,
  usage: [
    'serve --interface IF --users FILE [--methods LIST] [--cert FILE --key FILE] [--json]',
    'serve --interface IF --radius HOST:PORT --secret-file FILE [--json]',
  ],
  families: [EAPOL_PORT, { title: 'Embedded authenticator', flags: SERVE.flags.filter((flag) => flag.name === 'users' || flag.name === 'methods') },
    { title: 'RADIUS server', flags: RADIUS_ENDPOINT.flags.filter((flag) => flag.name !== 'radius') }, SERVE_TLS, JSON_OUTPUT],
};

export const LOAD_COMMAND: CommandDeclaration = {
  name: 'load',
  summary: 'many authentications against one RADIUS server, with rates and latency percentiles',
  usage: [
    `load --radius HOST:PORT --secret-file FILE --method ${METHODS}|pap (--users FILE | --identity ID ` +
      '--password-file FILE) [--concurrency N] [--rate R] [--duration S | --count N] [--json]',
    'load --radius HOST:PORT --secret-file FILE --mab --calling-station-id MAC [--mac-count N] [--concurrency N] …',
  ],
  families: [RADIUS_ENDPOINT, PEER_CREDENTIALS, LOAD, PEER_TLS, NAS, BLASTRADIUS, JSON_OUTPUT],
};

export const PING_COMMAND: CommandDeclaration = {
  name: 'ping',
  summary: 'one Status-Server (RFC 5997): is the server alive, and is the shared secret right?',
  usage: ['ping --radius HOST:PORT --secret-file FILE [--timeout MS] [--tries N] [--json]'],
  families: [RADIUS_ENDPOINT, JSON_OUTPUT],
};

export const ACCT_COMMAND: CommandDeclaration = {
  name: 'acct',
  summary: 'one Accounting-Request (RFC 2866) as a NAS sends it',
  usage: ['acct start|stop|update --radius HOST:PORT --secret-file FILE --identity ID [--session-id ID] [--json]'],
  families: [RADIUS_ENDPOINT, ACCT, NAS, JSON_OUTPUT],
  positionals: true,
};

export const METHODS_COMMAND: CommandDeclaration = {
  name: 'methods',
  summary: 'the EAP methods the host can load, with their properties',
  usage: ['methods [--json]'],
  families: [{ title: 'Output', flags: [{ name: 'json', type: 'boolean', help: 'one JSON array on stdout' }] }],
};

export const CONFIG_COMMAND: CommandDeclaration = {
  name: 'config',
  summary: 'print the EapHostConfig (or EapHostUserCredentials) XML a profile deploys',
  usage: ['config --method NAME [--ca FILE] [--server-name NAME] [--windows | --shipped] --print-xml ' +
    '[--credentials --identity ID --password-file FILE]'],
  families: [CONFIG, PEER_TLS],
};

export const HELP_COMMAND: CommandDeclaration = {
  name: 'help',
  summary: 'this text; `eaphost COMMAND --help` for one command',
  usage: ['help [COMMAND]'],
  families: [],
  positionals: true,
};

/** Every declaration, in the order `eaphost help` lists them. */
export const COMMANDS: readonly CommandDeclaration[] = [AUTH_EMBEDDED, AUTH_RADIUS, AUTH_PLAIN, AUTH_NAGIOS, AUTH_EAPOL,
  SERVE_COMMAND, SERVE_EAPOL, LOAD_COMMAND, PING_COMMAND, ACCT_COMMAND, METHODS_COMMAND, CONFIG_COMMAND, PROFILE_COMMAND,
  HELP_COMMAND];

/** `eaphost help`: every command's forms, then every flag family once. */
export function overallHelp(): string {
  const lines = ['eaphost: EAP authentications through EAPHost, from the command line', '',
    'Exit codes: 0 success, 1 authentication failure, 2 bad usage or input, 3 no answer in time',
    '(--nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Secrets: prefer --password-file, --secret-file,',
    '--key-password-file or EAPHOST_PASSWORD, EAPHOST_SECRET, EAPHOST_KEY_PASSWORD over the literal flags.', '', 'usage:'];
  for (const command of COMMANDS) for (const usage of command.usage) lines.push(`  eaphost ${usage}`);
  const families: FlagFamily[] = [];
  const sections: string[] = [];
  for (const name of [...new Set(COMMANDS.map((command) => command.name))]) {
    const fresh = COMMANDS.filter((command) => command.name === name).flatMap((command) => command.families)
      .filter((family, i, all) => !families.includes(family) && all.indexOf(family) === i);
    families.push(...fresh);
    if (fresh.length === 0) continue;
    const body = fresh.flatMap((family) => familyHelp([family]));
    sections.push('', `eaphost ${name} flags:`, ...body.map((line) => (line === '' ? line : `  ${line.replace(/\n  /g, '\n    ')}`)));
  }
  return [...lines, ...sections, ...familyHelp([HELP])].join('\n');
}

export function isCommandName(name: string): boolean {
  return COMMANDS.some((command) => command.name === name);
}
