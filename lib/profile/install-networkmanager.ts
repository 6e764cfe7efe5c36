/**
 * Installing a profile into NetworkManager: its keyfiles written (mode 0600: they may hold
 * secrets) into the keyfile plugin's directory, then `nmcli connection reload` so the daemon reads
 * them. Nothing here runs unless asked: `eaphost profile --install` or a call of this function.
 */
import { execFile } from 'child_process';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { writeFileReplacing } from '../core/file-write';
import { NetworkProfile, ProfileError } from './network-profile';
import { writeNetworkManager } from './networkmanager';

export const NETWORKMANAGER_CONNECTIONS_DIR = '/etc/NetworkManager/system-connections';

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
    throw new NetworkManagerInstallError(`cannot write the keyfiles into ${directory} (${code})`, code);
  }
  if (options.reload !== false) {
    await new Promise<void>((resolve, reject) => {
      execFile('nmcli', ['connection', 'reload'], { timeout: 30_000 }, (error, _stdout, stderr) => {
        if (!error) return resolve();
        const reason = typeof error.code === 'number' ? error.code : (error.code ?? 'error');
        reject(new NetworkManagerInstallError(`nmcli connection reload failed (${reason}): ${String(stderr).trim()}`, reason));
      });
    });
  }
  return written;
}
