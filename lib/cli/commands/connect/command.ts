/**
 * `eaphost connect`: connect through the OS's own supplicant with a network profile and say why
 * not. The body (../connect.ts) and the backends load only when the command runs.
 */
import { FlagFamily, bool, secretFlags, text } from '../../flags';
import type { CommandDefinition } from '../../main';

const CONNECT: FlagFamily = {
  title: 'Connect',
  flags: [
    text('profile', 'FILE', 'the profile: eap-config XML (eduroam CAT) or the JSON model; tried without being saved unless --install'),
    text('name', 'NAME', 'instead of --profile: a profile already installed (NetworkManager connection, WLAN or LAN profile name)'),
    text('interface', 'IF', 'the interface: its name (Linux), GUID or name (Windows); default the one the profile fits'),
    text('network', 'wifi|wired', 'which of the profile\'s networks when it has both; with --name on Windows, wired names a LAN profile'),
    bool('install', 'install the profile for good, then connect with it'),
    text('timeout', 'MS', 'give up after MS milliseconds, from the start to the outcome (default 60000)'),
    text('until', 'connected|authenticated', 'where success ends: connected (default: authenticated and addressed), or authenticated: as soon as 802.1X succeeds, then taken down (exit 0, category authenticated)'),
    text('identity', 'ID', 'the identity, where the profile holds none'),
    ...secretFlags('password', 'PW', 'the password, where the profile holds none'),
  ],
};

const OUTPUT: FlagFamily = {
  title: 'Connect output',
  flags: [bool('json', 'one JSON object on stdout: connected, authenticated, category, method, codes (every layer\'s raw code), elapsedMs, interface, via, message, nextStep')],
};

export const command: CommandDefinition = {
  name: 'connect',
  summary: 'connect with a network profile through the OS\'s own supplicant, and say why not',
  order: 10,
  forms: [{
    usage: [
      'connect --profile FILE [--interface IF] [--network wifi|wired] [--install] [--identity ID] [--password-file FILE] [--timeout MS] [--until connected|authenticated] [--json]',
      'connect --name NAME [--interface IF] [--network wifi|wired] [--timeout MS] [--until connected|authenticated] [--json]',
    ],
    families: [CONNECT, OUTPUT],
    run: async ({ values }, io) => (await import('./connect')).runConnect(values, io),
  }],
};
