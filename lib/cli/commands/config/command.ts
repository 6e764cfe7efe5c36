/** `eaphost config`: the profile XML a deployment uses. The body (config.ts) loads only when it runs. */
import { FlagFamily, PEER_TLS, bool, secretFlags, text } from '../../flags';
import type { CommandDefinition } from '../../main';

const CONFIG: FlagFamily = {
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

export const command: CommandDefinition = {
  name: 'config',
  summary: 'print the EapHostConfig (or EapHostUserCredentials) XML a profile deploys',
  order: 9,
  forms: [{
    usage: ['config --method NAME [--ca FILE] [--server-name NAME] [--windows | --shipped] --print-xml ' +
      '[--credentials --identity ID --password-file FILE]'],
    families: [CONFIG, PEER_TLS],
    run: async ({ values }, io) => (await import('./config')).runConfig(values, io),
  }],
};
