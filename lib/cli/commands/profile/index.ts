/**
 * `eaphost profile`: reads a network profile (eap-config or the JSON model), writes it in the
 * format --to names, or installs it with --install. What the source or the target cannot carry is
 * printed on stderr as notes, one per part, never left out unsaid.
 */
import { join } from 'path';
import { NetworkProfile, ProfileError, ProfileNote, networkProfileJson } from '../../../profile/network-profile';
import { MAX_XML_BYTES } from '../../../profile/xml-read';
import { NotADirectoryError, makeDirectory, writeFileReplacing } from '../../../core/file-write';
import { FileTooLargeError, readFileBounded } from '../../../core/file-read';
import { utf8Text } from '../../../core/input-checks';
import { readProfileText } from '../../../profile/profile-session';
import { readinessNotes } from '../../../profile/readiness';
import { pkcs12Mapping } from '../../../audit/certificates';
import { writeEapConfig } from '../../../profile/geant-eap-config';
import { writeWpaSupplicant } from '../../../profile/wpa-supplicant';
import { writeNetworkManager } from '../../../profile/networkmanager';
import { writeWindowsProfiles } from '../../../profile/windows-profile';
import { writeMobileconfig } from '../../../profile/mobileconfig';
import { requiredFlag, stringFlag } from '../../command-line';
import { CommandIo, FlagValues, LineWriter, UsageError } from '../../main';
import { PROFILE_FORMATS, ProfileFormat } from './formats';

interface Document { name: string; text: string }

/** The profile file's text, read no further than its bound (a device or a FIFO included). */
export function readProfileFile(file: string, flag: string): ReturnType<typeof readProfileText> {
  let bytes: Buffer;
  try {
    bytes = readFileBounded(file, MAX_XML_BYTES);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new UsageError(`${flag} ${file}: over ${MAX_XML_BYTES} bytes`);
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const text = utf8Text(bytes);
  if (text === undefined) throw new UsageError(`${flag} ${file}: not valid UTF-8`);
  try {
    return readProfileText(text);
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(`${flag} ${file}: ${error.message}`);
    throw error;
  }
}

function documents(profile: NetworkProfile, format: ProfileFormat, secrets: boolean): { documents: Document[]; notes: ProfileNote[] } {
  const single = (result: { text: string; notes: ProfileNote[] }, name: string) => ({ documents: [{ name, text: result.text }], notes: result.notes });
  switch (format) {
    case 'json': return single({ text: networkProfileJson(profile, { secrets }), notes: [] }, 'profile.json');
    case 'eap-config': return single(writeEapConfig(profile, { secrets }), 'profile.eap-config');
    case 'wpa-supplicant': return single(writeWpaSupplicant(profile, { secrets }), 'wpa_supplicant.conf');
    case 'mobileconfig': return single(writeMobileconfig(profile, { secrets }), 'profile.mobileconfig');
    case 'networkmanager': {
      const written = writeNetworkManager(profile, { secrets });
      return { documents: written.files, notes: written.notes };
    }
    default: {
      const wanted = format === 'wlan' ? 'wifi' : 'wired';
      if (!profile.networks.some((network) => network.type === wanted)) {
        throw new UsageError(`--to ${format}: the profile has no ${wanted === 'wifi' ? 'Wi-Fi' : 'wired'} network`);
      }
      if (secrets) throw new UsageError(`--to ${format}: Windows keeps the user's credentials apart from the profile (WlanSetProfileEapXmlUserData): --secrets does not apply`);
      const written = writeWindowsProfiles({ ...profile, networks: profile.networks.filter((network) => network.type === wanted) });
      return { documents: written.documents.map((document) => ({ name: `${document.name}.xml`, text: document.text })), notes: written.notes };
    }
  }
}

async function installOnWindows(profile: NetworkProfile, values: FlagValues, secrets: boolean,
  out: LineWriter, err: LineWriter): Promise<number> {
  const rootStore = stringFlag(values, 'root-store');
  if (rootStore !== undefined && rootStore !== 'CurrentUser' && rootStore !== 'LocalMachine') {
    throw new UsageError('--root-store must be CurrentUser | LocalMachine');
  }
  const { installWindows } = await import('../../../profile/install-windows');
  const wlanInterface = stringFlag(values, 'interface');
  const lanInterface = stringFlag(values, 'lan-interface');
  const result = await installWindows(profile, {
    secrets, ...(rootStore ? { rootStore } : {}), ...(wlanInterface ? { interface: wlanInterface } : {}),
    ...(lanInterface ? { lanInterface } : {}),
  });
  for (const note of result.notes) err(`note: ${note.path}: ${note.message}`);
  for (const thumbprint of result.rootCertificates) out(`installed CA ${thumbprint} in ${rootStore ?? 'CurrentUser'}\\Root`);
  for (const thumbprint of result.clientCertificates) out(`installed client certificate ${thumbprint} in CurrentUser\\My`);
  for (const network of result.wlan) {
    for (const wlan of network.interfaces) out(`installed WLAN profile ${network.ssid} on ${wlan.description} ${wlan.guid}`);
  }
  if (result.lan !== undefined) out(`installed LAN profile: ${result.lan}`);
  return 0;
}

export async function runProfile(values: FlagValues, { out, err }: CommandIo): Promise<number> {
  const from = requiredFlag(values, 'from');
  const to = stringFlag(values, 'to');
  const install = values.install === true;
  const secrets = values.secrets === true;
  if (!install && to === undefined) throw new UsageError('--to FORMAT or --install is required');
  if (install && to !== undefined) throw new UsageError('give --to or --install, not both');
  if (to !== undefined && !(PROFILE_FORMATS as readonly string[]).includes(to)) throw new UsageError(`--to must be ${PROFILE_FORMATS.join(' | ')}`);
  const { profile, notes: readNotes } = readProfileFile(from, '--from');
  for (const note of [...readNotes, ...await readinessNotes(profile, pkcs12Mapping)]) err(`note: ${from}: ${note.path}: ${note.message}`);
  try {
    if (install) {
      if (process.platform === 'win32') return await installOnWindows(profile, values, secrets, out, err);
      if (process.platform !== 'linux') throw new UsageError(`--install: not available on ${process.platform} in this version (Linux NetworkManager, Windows)`);
      const { installNetworkManager } = await import('../../../profile/install-networkmanager');
      const directory = stringFlag(values, 'connections-dir');
      const written = await installNetworkManager(profile, { secrets, ...(directory ? { directory } : {}) });
      for (const file of written) out(`installed ${file}`);
      return 0;
    }
    const result = documents(profile, to as ProfileFormat, secrets);
    for (const note of result.notes) err(`note: ${note.path}: ${note.message}`);
    const outFile = stringFlag(values, 'out');
    const outDir = stringFlag(values, 'out-dir');
    if (outFile !== undefined && outDir !== undefined) throw new UsageError('give --out or --out-dir, not both');
    if (outDir !== undefined) {
      try {
        makeDirectory(outDir);
      } catch (error) {
        if (error instanceof NotADirectoryError) throw error;
        throw new UsageError(`--out-dir ${outDir}: cannot make it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const taken = new Set<string>();
      for (const document of result.documents) {
        // Names that sanitise alike (SSIDs "a/b" and "a\b") get a number, never the same file.
        const base = document.name.replace(/[/\\\x00]/g, '_');
        let name = base;
        for (let n = 2; taken.has(name); n++) name = base.replace(/(\.[^.]*)?$/, (extension) => `-${n}${extension}`);
        taken.add(name);
        const target = join(outDir, name);
        writeFileReplacing(target, document.text, secrets ? 0o600 : 0o644);
        out(target);
      }
      return 0;
    }
    if (result.documents.length > 1) throw new UsageError(`--to ${to} makes ${result.documents.length} documents: give --out-dir DIR`);
    if (outFile !== undefined) writeFileReplacing(outFile, result.documents[0].text, secrets ? 0o600 : 0o644);
    else out(result.documents[0].text.replace(/\n$/, ''));
    return 0;
  } catch (error) {
    // Writing the keyfiles or nmcli's reload failed: the system's failure (exit 1), not the usage's.
    if (error instanceof Error && error.name === 'NetworkManagerInstallError') {
      err(`eaphost profile: ${error.message}`);
      return 1;
    }
    if (error instanceof ProfileError) throw new UsageError(error.message);
    throw error;
  }
}
