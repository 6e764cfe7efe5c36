/**
 * `eaphost register` / `eaphost unregister` against the real registry and file system (under
 * Wine, the prefix's): the module and the DLLs it loads copied into a protected folder under
 * %ProgramFiles%\eaphost, the copy's SHA-256 equal to its source's (node:crypto reads both), the
 * Methods key naming the copy, and every refusal typed. Its own author id and its own Program
 * Files folder (useProgramFilesForTests: the CLI itself takes Program Files from the known-folder
 * API, or under WOW64 from the registry's 64-bit view: test/windows-wow64/**, never the environment), so the shipped registration the suite relies on is never disturbed. No process is started: the CLI runs here and the registry is reached
 * through the addon (RegSetValueExW and friends).
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EapError, RegistrationError } from '../../lib/core/errors';
import { copiesFolder, register, shippedMethods, useProgramFilesForTests } from '../../lib/register';
import { PROTECTED_FOLDER_SDDL } from '../../lib/register/security';
import { builtinMethods } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { binding } from '../../lib/native';
import { methodPropertyChecks } from '../support/method-properties';
import { methodRegistration, methodsKey, requireWindows, runCli, windowsHostHooks } from './support';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { version } = require('../../../package.json') as { version: string };

// An author id no real method uses (top of the DWORD range), and an unassigned EAP type.
const AUTHOR = '4294967001';
const TYPE = '250';
const key = `${methodsKey}\\${AUTHOR}\\${TYPE}`;
const source = builtinMethods.md5.path;
const GNUTLS_DLLS = ['libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll'];

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const data = (values: ReturnType<typeof methodRegistration>, name: string): unknown => {
  const value = values?.get(name);
  return value && 'data' in value ? value.data : undefined;
};

/** A folder owned by Administrators with `sddl`'s DACL (the protected one by default). */
function folder(at: string, sddl = PROTECTED_FOLDER_SDDL): string {
  fs.mkdirSync(at, { recursive: true });
  binding.setFileSecurity({ path: at, sddl });
  return at;
}

function registerOwn(...args: string[]): ReturnType<typeof runCli> {
  return runCli(['register', ...args, '--author', AUTHOR, '--type', TYPE]);
}

/** The typed refusal register() throws for `module`, and nothing registered or copied for it. */
function refusal(module: string): RegistrationError {
  let caught: unknown;
  try {
    register({ module, methods: { type: Number(TYPE), author: Number(AUTHOR), name: 'refused', properties: 0, authorName: 'x' },
      sides: { peer: true, authenticator: true } }, () => undefined);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof RegistrationError, `expected a RegistrationError, got ${String(caught)}`);
  assert.equal(methodRegistration(key), null, 'nothing may be registered');
  return caught;
}

describe('eaphost register / unregister (protected copy, registry through the addon)', function () {
  let root: string;
  let programFiles: string;
  let copy: string;

  before(async function () {
    requireWindows();
    root = folder(`C:\\eaphost-register-${randomBytes(4).toString('hex')}`);
    programFiles = folder(path.win32.join(root, 'Program Files'));
    useProgramFilesForTests(programFiles);
    copy = path.win32.join(programFiles, 'eaphost', version, process.arch);
    await runCli(['unregister', '--author', AUTHOR, '--type', TYPE]);
  });

  after(async function () {
    if (!root) return;
    await runCli(['unregister', '--author', AUTHOR, '--type', TYPE]);
    useProgramFilesForTests(undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('registers a copy in %ProgramFiles%\\eaphost\\<version>\\<arch> that hashes as its source, DLLs included', async function () {
    const result = await registerOwn('--module', source, '--name', 'Registration test', '--properties', '0x2000000');
    assert.equal(result.status, 0, result.output);
    const dll = path.win32.join(copy, 'eap_methods.dll');
    const values = methodRegistration(key);
    assert.ok(values, result.output);
    for (const side of ['PeerDllPath', 'AuthenticatorDllPath']) {
      assert.deepEqual(values.get(side), { name: side, type: 'expandSz', data: dll });
    }
    assert.equal(data(values, 'PeerFriendlyName'), 'Registration test');
    assert.equal(data(values, 'AuthenticatorFriendlyName'), 'Registration test');
    assert.equal(data(values, 'PeerInvokeUsernameDialog'), 0);
    assert.equal(data(values, 'PeerInvokePasswordDialog'), 0);
    assert.equal(data(values, 'Properties'), 0x2000000);
    // eap_methods.dll delay-loads GnuTLS, which loads the other three: all of them are beside it.
    assert.deepEqual(fs.readdirSync(copy).map((name) => name.toLowerCase()).sort(), ['eap_methods.dll', ...GNUTLS_DLLS].sort());
    for (const name of ['eap_methods.dll', ...GNUTLS_DLLS]) {
      assert.equal(sha256(path.win32.join(copy, name)), sha256(path.join(path.dirname(source), name)), name);
    }
  });

  // register's advice, followed: the registration is already written, and EapHost (started before
  // it) has not read it, so --restart-service must restart it though nothing changes. Wine has no
  // EapHost service (any call fails with 1060): a recorder stands in for the service control
  // manager here, through the CLI's own path; its refusals are test/register-service.test.ts's.
  it('register without --restart-service says to run it with the flag; that run restarts EapHost, though nothing changed', async function () {
    const args = ['--module', source, '--name', 'Registration test', '--properties', '0x2000000'];
    const plain = await registerOwn(...args);
    assert.equal(plain.status, 0, plain.output);
    assert.match(plain.output, /run this with --restart-service/);
    const calls: string[] = [];
    const real = binding.serviceControl;
    binding.serviceControl = ({ service, action }) => {
      calls.push(`${action} ${service}`);
      return { state: action === 'stop' ? 1 : 4, dependents: [] };
    };
    let again: Awaited<ReturnType<typeof runCli>>;
    try {
      again = await registerOwn(...args, '--restart-service');
    } finally {
      binding.serviceControl = real;
    }
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /kept .*eap_methods\.dll as /, 'the copy was there already');
    assert.doesNotMatch(again.output, /unchanged|not restarted/);
    assert.deepEqual(calls, ['query EapHost', 'stop EapHost', 'start EapHost'], again.output);
  });

  // A standard user over an administrator's registration: Windows refuses it the copy's DACL
  // (SetNamedSecurityInfoW on a file Administrators own, which register sets again on a copy it
  // keeps) and the Methods key's values (RegDeleteValueW). Wine grants both to its one user, so the
  // addon's two calls answer here as Windows does, ERROR_ACCESS_DENIED, on the CLI's own path;
  // test/wine-host/standard-user.test.ts has Wine's registry refuse a restricted token for real.
  it('access denied re-protecting a kept copy, or removing the values: needs-administrator, exit 1, nothing changed', async function () {
    const denied = (call: string) => (): never => { throw new EapError({ win32Error: 5, call }); };
    const real = { setFileSecurity: binding.setFileSecurity, registryDelete: binding.registryDelete };
    let over: Awaited<ReturnType<typeof runCli>>;
    let removed: Awaited<ReturnType<typeof runCli>>;
    try {
      binding.setFileSecurity = denied('SetNamedSecurityInfoW');
      over = await registerOwn('--module', source, '--name', 'Registration test', '--properties', '0x2000000');
      binding.setFileSecurity = real.setFileSecurity;
      binding.registryDelete = denied('RegDeleteValueW');
      removed = await runCli(['unregister', '--author', AUTHOR, '--type', TYPE]);
    } finally {
      Object.assign(binding, real);
    }
    assert.equal(over.status, 1, over.output);
    assert.match(over.output, /refused \(needs-administrator\): .*eap_methods\.dll: access denied\. .*elevated prompt/, over.output);
    assert.equal(removed.status, 1, removed.output);
    assert.match(removed.output, /refused \(needs-administrator\): HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods: access denied/,
      removed.output);
    assert.equal(data(methodRegistration(key)!, 'PeerDllPath'), path.win32.join(copy, 'eap_methods.dll'), 'the registration stays');
    assert.ok(fs.existsSync(path.win32.join(copy, 'eap_methods.dll')), 'and its copy');
  });

  it('unregisters the peer side and keeps the authenticator side and the copy it names', async function () {
    const result = await runCli(['unregister', '--peer', '--author', AUTHOR, '--type', TYPE]);
    assert.equal(result.status, 0, result.output);
    const values = methodRegistration(key);
    assert.ok(values, 'the key must survive while the authenticator side is registered');
    for (const gone of ['PeerDllPath', 'PeerFriendlyName', 'PeerInvokeUsernameDialog', 'PeerInvokePasswordDialog']) {
      assert.equal(values.has(gone), false, `${gone} should be gone`);
    }
    assert.equal(data(values, 'AuthenticatorDllPath'), path.win32.join(copy, 'eap_methods.dll'));
    assert.ok(fs.existsSync(path.win32.join(copy, 'eap_methods.dll')), 'the copy is still registered');
  });

  it('removes the key, the empty author key and the copy once the last side goes', async function () {
    const result = await runCli(['unregister', '--authenticator', '--author', AUTHOR, '--type', TYPE]);
    assert.equal(result.status, 0, result.output);
    assert.equal(methodRegistration(key), null);
    assert.equal(methodRegistration(`${methodsKey}\\${AUTHOR}`), null, 'the empty author key should go too');
    assert.equal(fs.existsSync(path.win32.join(programFiles, 'eaphost')), false, result.output);
  });

  it('refuses UNC paths, typed, exit 1', async function () {
    for (const unc of ['\\\\server\\share\\eap_methods.dll', '\\\\?\\UNC\\server\\share\\eap_methods.dll', '//server/share/eap_methods.dll']) {
      assert.equal(refusal(unc).reason, 'unc-path', unc);
      const result = await registerOwn('--module', unc);
      assert.equal(result.status, 1, result.output);
      assert.match(result.output, /refused \(unc-path\)/);
    }
  });

  it('refuses a relative path, typed, exit 2', async function () {
    assert.equal(refusal('eap_methods.dll').reason, 'relative-path');
    assert.equal(refusal('C:eap_methods.dll').reason, 'relative-path');
    const result = await registerOwn('--module', 'eap_methods.dll');
    assert.equal(result.status, 2, result.output);
    assert.match(result.output, /not an absolute path/);
  });

  it('refuses a destination others can change, and copies nothing there', async function () {
    // Everyone may modify this Program Files. (Wine reports a file's rights for its owner and for
    // Everyone only, from the Unix mode; a grant to Users alone is test/register-policy.test.ts's.)
    const writable = folder(path.win32.join(root, 'writable', 'Program Files'),
      'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;WD)');
    useProgramFilesForTests(writable);
    try {
      const refused = refusal(source);
      assert.equal(refused.reason, 'writable-path');
      assert.match(refused.message, /S-1-1-0: .*delete/);
      assert.equal(fs.existsSync(path.win32.join(writable, 'eaphost', version, process.arch, 'eap_methods.dll')), false);
      const result = await registerOwn('--module', source);
      assert.equal(result.status, 1, result.output);
      assert.match(result.output, /refused \(writable-path\)/);
    } finally {
      useProgramFilesForTests(programFiles);
    }
  });

  // The copy is written from the bytes read once, under a temporary name, checked, then renamed:
  // a source replaced after the read changes nothing, and a copy changed between its write and
  // its check leaves nothing behind (no copy, no temporary file, no registration).
  it('a source replaced after it was read: the copy is what was read, no temporary file left', function () {
    const odd = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-race-'));
    try {
      const module = path.join(odd, 'eap_methods.dll');
      fs.copyFileSync(source, module);
      const read = sha256(module);
      const method = { type: Number(TYPE), author: Number(AUTHOR), name: 'race', properties: 0, authorName: 'x' };
      register({ module, methods: method, sides: { peer: true, authenticator: true } }, () => undefined, {
        written: () => { const bytes = fs.readFileSync(module); bytes[bytes.length - 1] ^= 0xff; fs.writeFileSync(module, bytes); },
      });
      assert.notEqual(sha256(module), read, 'the source changed after it was read');
      assert.equal(sha256(path.win32.join(copy, 'eap_methods.dll')), read, 'the copy is the bytes read and checked');
      assert.deepEqual(fs.readdirSync(copy).filter((name) => name.endsWith('.partial')), []);
    } finally {
      fs.rmSync(odd, { recursive: true, force: true });
    }
  });

  it('a copy changed between its write and its check: copy-mismatch, and nothing left behind', async function () {
    await runCli(['unregister', '--author', AUTHOR, '--type', TYPE]);
    let tampered = '';
    let caught: unknown;
    try {
      register({ module: source, methods: { type: Number(TYPE), author: Number(AUTHOR), name: 'race', properties: 0, authorName: 'x' },
        sides: { peer: true, authenticator: true } }, () => undefined, {
        written: (temporary) => {
          tampered = temporary;
          // The owner (Administrators, as this test is) rewrites the temporary copy: a change the check must see.
          const bytes = fs.readFileSync(temporary);
          bytes[0x200] ^= 0xff;
          fs.writeFileSync(temporary, bytes);
        },
      });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof RegistrationError, String(caught));
    assert.equal(caught.reason, 'copy-mismatch');
    assert.ok(tampered.endsWith('.partial'), tampered);
    assert.equal(fs.existsSync(tampered), false, 'the temporary copy is deleted');
    assert.equal(fs.existsSync(path.win32.join(copy, 'eap_methods.dll')), false, 'no copy stands');
    assert.deepEqual(fs.existsSync(copy) ? fs.readdirSync(copy).filter((name) => name.endsWith('.partial')) : [], []);
    assert.equal(methodRegistration(key), null, 'nothing registered');
  });

  it('Program Files comes from the known-folder API, not from ProgramFiles or ProgramW6432', function () {
    const saved = { ProgramW6432: process.env.ProgramW6432, ProgramFiles: process.env.ProgramFiles };
    useProgramFilesForTests(undefined);
    try {
      const known = binding.windowsPlatform().programFiles;
      assert.match(known, /^[A-Za-z]:\\/);
      process.env.ProgramW6432 = process.env.ProgramFiles = path.win32.join(root, 'elsewhere');
      assert.equal(copiesFolder(), path.win32.join(known, 'eaphost'));
    } finally {
      Object.assign(process.env, saved);
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
      useProgramFilesForTests(programFiles);
    }
  });

  // Wine makes no junction (ENOTSUP): there the lane gives a folder linked on the Unix side
  // (scripts/wine/run.sh), which Windows' calls resolve elsewhere as they do a junction.
  function junction(): { real: string; link: string; made: boolean } {
    const real = folder(path.win32.join(root, 'real', 'Program Files'));
    const link = path.win32.join(root, 'linked');
    try {
      fs.symlinkSync(path.win32.dirname(real), link, 'junction');
      return { real, link, made: true };
    } catch (error) {
      const wineLink = process.env.EAPHOST_WINE_LINKED_FOLDER;
      if ((error as NodeJS.ErrnoException).code !== 'ENOTSUP' || process.env.EAPHOST_WINE !== '1' || !wineLink) throw error;
      return { real: path.win32.join(path.win32.dirname(wineLink), 'real', 'Program Files'), link: wineLink, made: false };
    }
  }

  it('refuses a junction above the copies (reparse-point), and copies nothing through it', async function () {
    const { real, link, made } = junction();
    assert.ok(fs.existsSync(real), `${real} is missing`);
    useProgramFilesForTests(path.win32.join(link, 'Program Files'));
    try {
      const refused = refusal(source);
      assert.equal(refused.reason, 'reparse-point', refused.message);
      assert.equal(fs.existsSync(path.win32.join(real, 'eaphost')), false, 'nothing made through the junction');
    } finally {
      useProgramFilesForTests(programFiles);
      if (made) fs.rmSync(link, { force: true, recursive: false });
    }
  });

  it("refuses a module built for another machine than the OS's", async function () {
    // The same module with IMAGE_FILE_HEADER.Machine set to i386 (0x14c).
    const odd = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-machine-'));
    try {
      const bytes = fs.readFileSync(source);
      bytes.writeUInt16LE(0x14c, bytes.readUInt32LE(0x3c) + 4);
      const module = path.join(odd, 'eap_methods.dll');
      fs.writeFileSync(module, bytes);
      const refused = refusal(module);
      assert.equal(refused.reason, 'machine-mismatch');
      assert.match(refused.message, /built for ia32, but this Windows runs on x64/);
      const result = await registerOwn('--module', module);
      assert.equal(result.status, 1, result.output);
    } finally {
      fs.rmSync(odd, { recursive: true, force: true });
    }
  });
});

describe('the shipped methods as registered (eaphost register --shipped, then GetMethods and GetMethodProperties)', function () {
  let host: EapHost | undefined;
  windowsHostHooks((opened) => { host = opened; });

  it('GetMethods reports the author name and the Properties the module claims', async function () {
    await methodPropertyChecks(host!);
  });

  it('the registry holds the author name and each method\'s Properties as written', function () {
    for (const method of shippedMethods().methods) {
      const author = methodRegistration(`${methodsKey}\\${method.author}`);
      // Both places Windows may read it from (lib/register/methods-key.ts).
      assert.equal(data(author, ''), method.authorName);
      assert.equal(data(author, 'Name'), method.authorName);
      const values = methodRegistration(`${methodsKey}\\${method.author}\\${method.type}`);
      assert.equal(data(values, 'Properties'), method.properties);
      assert.equal(data(values, 'PeerInvokeUsernameDialog'), 0);
      assert.equal(data(values, 'PeerInvokePasswordDialog'), 0);
    }
  });
});
