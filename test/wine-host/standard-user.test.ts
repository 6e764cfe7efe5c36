/**
 * `eaphost register` and `eaphost connect` run by a standard user, in the real Windows node.exe
 * under Wine. Wine has one user, whose token is a member of Administrators, and no second account,
 * so a stand-in launcher (test/fixtures/standard_user_launcher.c, compiled here with mingw-w64)
 * makes a standard user's token from its own: CreateRestrictedToken with the Administrators SID
 * deny-only and every privilege but SeChangeNotifyPrivilege dropped, and starts node.exe with it
 * (CreateProcessAsUserW). Wine's registry keys carry no security descriptor and wineserver grants
 * any access to an object without one, whatever the token, so the launcher first gives the keys
 * register writes the DACL Windows gives them (HKLM\SYSTEM: SYSTEM and Administrators full control,
 * Users read); wineserver then checks the restricted token against it. What Wine showed (2026-11-27,
 * Wine 8.0, `standard_user_launcher.exe --probe`; the Win32 error of each write the restricted
 * token made, first with the keys as Wine has them, then with Windows' DACL on them):
 *
 *   own group S-1-5-32-544 0x0000000f (MANDATORY|ENABLED_BY_DEFAULT|ENABLED|OWNER) BUILTIN\Administrators
 *   restricted group S-1-5-32-544 0x00000019 (MANDATORY|OWNER|USE_FOR_DENY_ONLY) BUILTIN\Administrators
 *   child group S-1-5-32-544 0x00000019 (MANDATORY|OWNER|USE_FOR_DENY_ONLY) BUILTIN\Administrators
 *   child privileges 1: SeChangeNotifyPrivilege        (21 before; DISABLE_MAX_PRIVILEGE alone keeps all 21)
 *   child TokenIsElevated 1                            (Wine answers by the token's kind, not its groups)
 *                                              keys as Wine has them   with Windows' DACL
 *   RegCreateKeyExW(...\Methods\32473, KEY_SET_VALUE)           0              5
 *   RegCreateKeyExW(...\Methods\eaphost-probe, KEY_SET_VALUE)   0              0  (a key not there yet:
 *       Wine does not check the parent's KEY_CREATE_SUB_KEY, Windows does)
 *   RegOpenKeyExW(...\Control\Session Manager, KEY_SET_VALUE)   0              5
 *   CreateDirectoryW(%ProgramFiles%\eaphost-probe)              0              0  (files: Wine maps
 *       them to Unix permissions, and the Unix user is the same one)
 *
 * So the refusal seen here is the one the registry gives, through the real path (the addon's
 * RegCreateKeyExW / RegOpenKeyExW, the code's decision by the error, the CLI's typed refusal):
 * the Methods key of a registration an administrator made, and Session Manager's pending
 * operations when register has a pending delete of its own to clear. The copies under Program
 * Files are not refused under Wine (on Windows they are refused first, before any registry write);
 * test/register-standard-user.test.ts holds node:fs's EACCES / EPERM for them, and only a
 * windows-latest run as a standard user could show Windows' own. `connect` needs no administrator:
 * the same token connects through the stand-in Native Wifi (test/standins/wlanapi/), the
 * embedded authenticator's verdict over the shipped EAP-MD5 telling the right password from a
 * wrong one.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { recordAnswer } from '../../lib/core/users';
import { methodModuleFor } from '../../lib/session/builtin';
import { makeTempDir } from '../support/programs';
import { repoRoot } from '../support/scratch';
import { runWineCli, runWineNode, wineNode } from '../support/wine-node';

const ERROR_ACCESS_DENIED = 5;
const INTERFACE_GUID = '{5EA1D0E5-0000-4000-8000-0000000057A1}';
const ADMINISTRATORS = 'S-1-5-32-544';
const SE_GROUP_ENABLED = 0x4;
const SE_GROUP_USE_FOR_DENY_ONLY = 0x10;
const NEEDS_ADMINISTRATOR = /refused \(needs-administrator\): (.*?): access denied\. .*elevated prompt/;

/**
 * A wineserver of the prefix's own for this file: a launcher's DACLs live only in the server that
 * was running (Wine saves no security descriptor), so the probe's first round needs a server
 * none was given to, and the one server then stays up to the end (-p: no restart between two
 * node.exe runs, whose registry a restarting server reloads from disk). Ended (-k) after.
 */
const freshWineServer = (): void => {
  const { env } = wineNode();
  execFileSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 60_000 });
  execFileSync('wineserver', ['-p'], { env, stdio: 'ignore', timeout: 60_000 });
};
const endWineServer = (): void => {
  spawnSync('wineserver', ['-k'], { env: wineNode().env, stdio: 'ignore' });
  execFileSync('wineserver', ['-w'], { env: wineNode().env, stdio: 'ignore', timeout: 60_000 });
};

const windowsPath = (unix: string): string => execFileSync('winepath', ['-w', unix], { env: wineNode().env, encoding: 'utf8' }).trim();

/** The launcher's lines end in CRLF (the C runtime's text mode): as lines. */
const lines = (output: string): string => output.replace(/\r\n/g, '\n');

/** `launcher: WHICH group SID 0xATTRIBUTES ...` lines: each SID's attributes. */
function groups(output: string, which: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const [, sid, attributes] of output.matchAll(new RegExp(`^launcher: ${which} group (S-[\\d-]+) 0x([0-9a-f]{8}) `, 'gm'))) {
    found.set(sid, parseInt(attributes, 16));
  }
  return found;
}

describe('a standard user under Wine (a stand-in launcher\'s restricted token): register refused, connect works', function () {
  this.timeout(300_000);
  const dir = makeTempDir('standard-user');
  const launcher = join(dir.path, 'standard_user_launcher.exe');
  after(() => {
    endWineServer();
    dir.remove();
  });

  /** `eaphost ARGS` in node.exe started by the launcher, with its restricted token. */
  const runAsStandardUser = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> => {
    const run = await runWineNode([join('dist', 'lib', 'cli', 'main.js'), ...args], env, launcher);
    return { code: run.code, output: lines(run.output) };
  };

  before(async function () {
    const build = spawnSync('x86_64-w64-mingw32-gcc', ['-std=c11', '-O1', '-Wall', '-Wextra', '-Wshadow', '-Werror', '-municode', '-static',
      join(repoRoot, 'test', 'fixtures', 'standard_user_launcher.c'), '-o', launcher, '-ladvapi32'], { encoding: 'utf8' });
    assert.equal(build.status, 0, `the launcher did not compile:\n${build.stderr}`);
    freshWineServer();
    // An administrator's registration, so the Methods keys exist (Wine would create a missing one
    // without asking the parent's DACL).
    const registered = await runWineCli(['register', '--shipped']);
    assert.equal(registered.code, 0, registered.output);
  });

  it('the launcher\'s token: Administrators deny-only, one privilege; Wine checks it against a key\'s DACL only', function () {
    // First: the probe's first round sees the keys as Wine has them, no DACL from an earlier launcher.
    const log = join(dir.path, 'probe.log');
    const fd = openSync(log, 'w');
    const run = spawnSync('wine', [launcher, '--probe'], { env: wineNode().env, stdio: ['ignore', fd, fd], timeout: 120_000 });
    closeSync(fd);
    const output = lines(readFileSync(log, 'utf8'));
    assert.equal(run.status, 0, output);
    const own = groups(output, 'own').get(ADMINISTRATORS);
    const child = groups(output, 'child').get(ADMINISTRATORS);
    assert.ok(own !== undefined && (own & SE_GROUP_ENABLED) !== 0, output);
    assert.ok(child !== undefined && (child & SE_GROUP_ENABLED) === 0 && (child & SE_GROUP_USE_FOR_DENY_ONLY) !== 0, output);
    assert.match(output, /^launcher: child privileges 1: SeChangeNotifyPrivilege$/m);
    // Each round: the probes' Win32 errors, in the order the child printed them.
    const rounds = output.split(/^launcher: probe round /m).slice(1).map((round) => ({
      name: round.slice(0, round.indexOf('\n')),
      errors: Object.fromEntries([...round.matchAll(/^launcher: probe ([a-z ]+): .* = (\d+)$/gm)].map(([, name, error]) => [name, Number(error)])),
    }));
    assert.deepEqual(rounds, [
      { name: 'wine-keys', errors: { 'existing method key': 0, 'new method key': 0, 'session manager': 0, 'program files': 0 } },
      { name: 'windows-dacl', errors: { 'existing method key': ERROR_ACCESS_DENIED, 'new method key': 0, 'session manager': ERROR_ACCESS_DENIED,
        'program files': 0 } },
    ], output);
  });

  it('register --shipped: needs-administrator from the Methods key, the registration left as it was', async function () {
    const before = await runWineCli(['methods', '--json']);
    const { code, output } = await runAsStandardUser(['register', '--shipped']);
    assert.equal(code, 1, output);
    assert.equal(NEEDS_ADMINISTRATOR.exec(output)?.[1], 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods', output);
    assert.doesNotMatch(output, /registered the/, output);
    const after = await runWineCli(['methods', '--json']);
    assert.equal(after.output, before.output);
  });

  it('unregister --shipped: needs-administrator from the Methods key, exit 1, the registration left as it was', async function () {
    const before = await runWineCli(['methods', '--json']);
    const { code, output } = await runAsStandardUser(['unregister', '--shipped']);
    assert.equal(code, 1, output);
    assert.equal(NEEDS_ADMINISTRATOR.exec(output)?.[1], 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods', output);
    assert.doesNotMatch(output, /unregistered:|removed the copy/, output);
    const after = await runWineCli(['methods', '--json']);
    assert.equal(after.output, before.output);
  });

  it('register --shipped with a pending delete of its own to clear: needs-administrator from Session Manager', async function () {
    // An administrator schedules the delete an older unregister would have left (MoveFileEx, as Windows writes it).
    const copy = 'C:\\Program Files\\eaphost\\0.1.0\\x64\\eap_methods.dll';
    const schedule = await runWineNode(['-e', `require('./dist/lib/native').binding.deleteAtReboot({ path: ${JSON.stringify(copy)} })`]);
    assert.equal(schedule.code, 0, schedule.output);
    try {
      const { code, output } = await runAsStandardUser(['register', '--shipped']);
      assert.equal(code, 1, output);
      assert.equal(NEEDS_ADMINISTRATOR.exec(output)?.[1], 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager', output);
      assert.doesNotMatch(output, /cleared a pending delete|copied|kept/, output);
    } finally {
      // The administrator's register clears it: it was there, and stays no longer.
      const cleared = await runWineCli(['register', '--shipped']);
      assert.equal(cleared.code, 0, cleared.output);
      assert.match(cleared.output, /cleared a pending delete from PendingFileRenameOperations: delete .*eap_methods\.dll/, cleared.output);
    }
  });

  for (const [what, right] of [['the right password: connected', true], ['a wrong password: credentials-rejected', false]] as const) {
    it(`connect --install through the stand-in Native Wifi, ${what}`, async function () {
      const identity = `user-${randomBytes(4).toString('hex')}`;
      const password = randomBytes(9).toString('base64');
      const md5 = methodModuleFor('md5').methodType;
      assert.ok(md5, 'the shipped EAP-MD5 has its method type');
      // The authenticator's side of the same eap_methods.dll the registration names, as node.exe loads it.
      const module = win32.join(win32.dirname(wineNode().env.EAPHOST_ADDON_PATH!), 'eap_methods.dll');
      const network = join(dir.path, `network-${identity}.txt`);
      const record = join(dir.path, `record-${identity}.txt`);
      writeFileSync(network, [
        `interface ${INTERFACE_GUID} eaphost stand-in WLAN adapter`,
        `method ${md5.type} ${md5.vendorId} ${md5.vendorType} ${md5.authorId} ${module}`,
        `user ${recordAnswer(identity, { password }).toString('hex')}`,
        `record ${windowsPath(record)}`,
        '',
      ].join('\n'));
      const profile = join(dir.path, `profile-${identity}.json`);
      writeFileSync(profile, JSON.stringify({ version: 1, networks: [{ type: 'wifi', ssid: `eaphost-${identity}` }], eap: [{ method: 'md5' }],
        credentials: { identity } }));
      const passwordFile = join(dir.path, `password-${identity}.txt`);
      writeFileSync(passwordFile, right ? password : `${password}-wrong`, { mode: 0o600 });
      const { code, output } = await runAsStandardUser(['connect', '--profile', windowsPath(profile), '--install',
        '--password-file', windowsPath(passwordFile), '--timeout', '20000', '--json'], { EAPHOST_WLAN_STANDIN: windowsPath(network) });
      const json = output.split('\n').find((line) => line.startsWith('{'));
      assert.ok(json, output);
      const outcome = JSON.parse(json) as { connected: boolean; category: string };
      assert.equal(outcome.connected, right, output);
      assert.equal(outcome.category, right ? 'connected' : 'credentials-rejected', output);
      assert.equal(code, right ? 0 : 1, output);
      // The restricted token really ran it: the launcher's lines, and the stand-in's own record of the calls.
      assert.ok(((groups(output, 'restricted').get(ADMINISTRATORS) ?? 0) & SE_GROUP_USE_FOR_DENY_ONLY) !== 0, output);
      assert.match(readFileSync(record, 'utf8'), new RegExp(`^WlanConnect 0 eaphost-${identity}$`, 'm'));
    });
  }
});
