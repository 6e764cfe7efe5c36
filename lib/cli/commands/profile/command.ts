/**
 * `eaphost profile`: convert a network profile between the formats each OS installs, and install
 * it (only when --install says so). The body (profile/) loads only when the command runs.
 */
import type { FlagFamily } from '../../flags';
import type { CommandDefinition } from '../../main';
import { PROFILE_FORMATS } from './formats';

const PROFILE: FlagFamily = {
  title: 'Network profile',
  flags: [
    { name: 'from', type: 'string', value: 'FILE', help: 'the profile: eap-config XML (eduroam CAT) or the JSON model (schema/network-profile.schema.json)' },
    { name: 'to', type: 'string', value: PROFILE_FORMATS.join('|'), help: 'the format to write' },
    { name: 'out', type: 'string', value: 'FILE', help: 'write to FILE instead of stdout (one document only)' },
    { name: 'out-dir', type: 'string', value: 'DIR', help: 'write one file per document into DIR (wlan, networkmanager with several networks)' },
    { name: 'secrets', type: 'boolean', help: 'also write the password, the PKCS#12 and its passphrase the profile holds, where the format stores them' },
    { name: 'install', type: 'boolean', help: 'install the profile: on Linux NetworkManager keyfiles (mode 0600) and a reload; on Windows the CA into Root, the PKCS#12 into the user\'s store, WLAN profiles (WlanSetProfile), the wired one through netsh' },
    { name: 'connections-dir', type: 'string', value: 'DIR', help: 'with --install on Linux: where the keyfiles go (default /etc/NetworkManager/system-connections)' },
    { name: 'interface', type: 'string', value: 'GUID|NAME', help: 'with --install on Windows: the one WLAN interface, by its name (Wi-Fi), GUID or description (default every one)' },
    { name: 'lan-interface', type: 'string', value: 'NAME', help: 'with --install on Windows: the wired interface for the LAN profile (netsh lan show interfaces)' },
    { name: 'root-store', type: 'string', value: 'CurrentUser|LocalMachine', help: 'with --install on Windows: the Root store the CA goes into (default CurrentUser)' },
  ],
};

export const command: CommandDefinition = {
  name: 'profile',
  summary: 'convert a network profile between eap-config, JSON and every OS\'s format, or install it',
  order: 10,
  forms: [{
    usage: [
      `profile --from FILE --to ${PROFILE_FORMATS.join('|')} [--out FILE | --out-dir DIR] [--secrets]`,
      'profile --from FILE --install [--secrets] [--connections-dir DIR]',
      'profile --from FILE --install [--secrets] [--interface GUID|NAME] [--lan-interface NAME] [--root-store CurrentUser|LocalMachine]',
    ],
    families: [PROFILE],
    run: async ({ values }, io) => (await import('.')).runProfile(values, io),
  }],
};
