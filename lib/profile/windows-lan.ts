/**
 * The wired profile on Windows. The Wired AutoConfig service (dot3svc) has no public API for
 * profiles: what Windows offers is netsh (`netsh lan add profile`, `netsh lan set eapuserdata`),
 * which reads each document from a file. The files live in a directory of their own for the
 * call; the user data file (it holds the password) is overwritten with zeros before it goes.
 * netsh is System32's, never one found on PATH. Its exit status is not trusted alone (a netsh
 * without the lan context exits 0 having done nothing): the profile is exported back
 * (`netsh lan export profile`) and must be there.
 */
import { execFile } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decodeConsoleText } from '../core/console-text';
import { writeFileReplacing } from '../core/file-write';
import { binding } from '../native';
import { WindowsInstallError } from './windows-install-error';

function netshPath(): string {
  const root = process.env.SystemRoot ?? process.env.windir ?? 'C:\\Windows';
  return join(root, 'System32', 'netsh.exe');
}

/** What netsh said and its exit status (0: it ran; a number: its own status; a string: Node's
 *  code for a netsh that did not run, e.g. ENOENT). netsh's status is not a Win32 error. */
export interface NetshRun {
  status: number | string;
  said: string;
  /** stdout as netsh wrote it, lines kept (`said` folds them into one). */
  output: string;
}

/** The code page netsh writes in (the console's, or the OEM one); UTF-8 where the addon cannot tell. */
function consoleCodePage(): number {
  try {
    return binding.windowsPlatform().consoleCodePage;
  } catch {
    return 65001;
  }
}

/** Runs System32's netsh with these arguments; never rejects. Its text is decoded in the console's code page. */
export function runNetsh(args: string[]): Promise<NetshRun> {
  return new Promise((resolve) => {
    execFile(netshPath(), args, { timeout: 60_000, windowsHide: true, encoding: 'buffer' }, (error, stdout, stderr) => {
      const codePage = consoleCodePage();
      const output = decodeConsoleText(stdout, codePage);
      const said = `${output}\n${decodeConsoleText(stderr, codePage)}`.replace(/\s+/g, ' ').trim();
      resolve({ status: error ? error.code ?? -1 : 0, said, output });
    });
  });
}

async function netsh(args: string[]): Promise<string> {
  const call = `netsh ${args.slice(0, 3).join(' ')}`;
  const { status, said } = await runNetsh(args);
  if (status === 0) return said;
  throw new WindowsInstallError('lan-profile',
    `${call} failed (exit status ${typeof status === 'number' ? status : `-1, ${status}`}): ${said || 'no output'}`,
    { win32Error: typeof status === 'number' ? status : -1, call });
}

/** Adds the LANProfile to the named wired interface (and the user's EAP data, when given); resolves with netsh's report. */
export async function installLanProfile(profileXml: string, eapUserDataXml: string, interfaceName: string | undefined): Promise<string> {
  if (interfaceName === undefined || interfaceName.length === 0) {
    throw new WindowsInstallError('lan-profile',
      'a wired profile goes on one named interface (netsh lan show interfaces lists them): give its name',
      { win32Error: 87, call: 'netsh lan add profile' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'eaphost-lan-'));
  const profileFile = join(dir, 'lan-profile.xml');
  const userFile = join(dir, 'eap-user-data.xml');
  try {
    writeFileReplacing(profileFile, profileXml);
    let report = await netsh(['lan', 'add', 'profile', `filename=${profileFile}`, `interface=${interfaceName}`]);
    const exported = join(dir, 'exported');
    mkdirSync(exported);
    // An export that fails says the same as one that writes nothing: the add did not take.
    const exportFailure = await netsh(['lan', 'export', 'profile', `folder=${exported}`, `interface=${interfaceName}`])
      .then(() => '', (error: Error) => `: ${error.message}`);
    const found = readdirSync(exported).some((name) => readFileSync(join(exported, name), 'utf8').includes('LANProfile'));
    if (!found) {
      throw new WindowsInstallError('lan-profile',
        `netsh lan add profile reported ${report ? `"${report}"` : 'nothing'}, but the interface ${interfaceName} has no LAN profile afterwards (netsh lan export profile wrote none${exportFailure})`,
        { win32Error: 1168, call: 'netsh lan add profile' });
    }
    if (eapUserDataXml.length > 0) {
      writeFileReplacing(userFile, eapUserDataXml);
      try {
        report += ` ${await netsh(['lan', 'set', 'eapuserdata', `filename=${userFile}`, 'allusers=no', `interface=${interfaceName}`])}`;
      } finally {
        // In place, on purpose: the zeros go over the very blocks the password was written to.
        writeFileSync(userFile, Buffer.alloc(Buffer.byteLength(eapUserDataXml)));
      }
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
