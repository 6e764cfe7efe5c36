/**
 * Installing a profile into NetworkManager: its keyfiles written (mode 0600: they may hold
 * secrets) into the keyfile plugin's directory, then `nmcli connection reload` so the daemon reads
 * them. Nothing here runs unless asked: `eaphost profile --install` or a call of this function.
 * nmcli is the system's (its own directories, never PATH, which a user may have put anything
 * first on) and is given only the environment it needs: never the secrets ours may hold
 * (EAPHOST_PASSWORD, EAPHOST_SECRET, …).
 */
import { execFile } from 'child_process';
import { accessSync, constants, mkdirSync, statSync } from 'fs';
import { join } from 'path';
import { NotARegularFileError, writeFileReplacing } from '../core/file-write';
import { NetworkProfile, ProfileError } from './network-profile';
import { writeNetworkManager } from './networkmanager';

export const NETWORKMANAGER_CONNECTIONS_DIR = '/etc/NetworkManager/system-connections';

/** Where nmcli is looked for, in order: the directories the system's packages install into. */
const SYSTEM_DIRECTORIES = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];
/** What nmcli is given of our environment: the system bus it asks the daemon on (a private one
 *  in a network namespace, say) and the language of its messages. */
const NMCLI_ENVIRONMENT = ['DBUS_SYSTEM_BUS_ADDRESS', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_MESSAGES', 'LC_CTYPE'];

function systemNmcli(): string | undefined {
  for (const directory of SYSTEM_DIRECTORIES) {
    const file = join(directory, 'nmcli');
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here; the next directory
    }
  }
  return undefined;
}

function nmcliEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of NMCLI_ENVIRONMENT) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

export interface NetworkManagerInstallOptions {
  /** Write secrets the profile holds into the keyfiles (else the secret agent asks). */
  secrets?: boolean;
  /** Default NETWORKMANAGER_CONNECTIONS_DIR. */
  directory?: string;
  /** Ask the daemon to reload its connections (default true). */
  reload?: boolean;
}

export class NetworkManagerInstallError extends ProfileError {
  /** The failing step's system error code or nmcli exit status. */
  readonly reason: string | number;

  constructor(message: string, reason: string | number) {
    super('unsupported', '', message);
    this.name = 'NetworkManagerInstallError';
    this.reason = reason;
  }
}

export async function installNetworkManager(profile: NetworkProfile, options: NetworkManagerInstallOptions = {}): Promise<string[]> {
  const directory = options.directory ?? NETWORKMANAGER_CONNECTIONS_DIR;
  const { files } = writeNetworkManager(profile, { secrets: options.secrets === true });
  const written: string[] = [];
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    for (const file of files) {
      const target = join(directory, file.name);
      // A new 0600 file renamed into place: the daemon never reads half a file, and the password
      // never lands in a file (or through a link) left there before.
      writeFileReplacing(target, file.text);
      written.push(target);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = error instanceof NotARegularFileError ? `: ${error.message}` : ` (${code})`;
    throw new NetworkManagerInstallError(`cannot write the keyfiles into ${directory}${why}`, code);
  }
  if (options.reload !== false) {
    const nmcli = systemNmcli();
    if (nmcli === undefined) {
      throw new NetworkManagerInstallError(`nmcli connection reload failed: no nmcli in ${SYSTEM_DIRECTORIES.join(', ')} ` +
        '(Debian: apt-get install network-manager)', 'ENOENT');
    }
    await new Promise<void>((resolve, reject) => {
      execFile(nmcli, ['connection', 'reload'], { timeout: 30_000, env: nmcliEnvironment() }, (error, _stdout, stderr) => {
        if (!error) return resolve();
        const reason = typeof error.code === 'number' ? error.code : (error.code ?? 'error');
        reject(new NetworkManagerInstallError(`nmcli connection reload failed (${reason}): ${String(stderr).trim()}`, reason));
      });
    });
  }
  return written;
}
