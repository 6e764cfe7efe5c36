/**
 * scripts/register-method.js against the real registry through reg.exe: values written as
 * EAPHost reads them, and one side unregistered without touching the other. It uses an
 * author id of its own so the MD5 registration the suite relies on is never disturbed.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { builtinMethods } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { methodPropertyChecks } from '../support/method-properties';
import { methodsKey, queryRegistry, requireWindows, runRegisterScript, windowsHostHooks } from './support';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { shippedMethodsFor } = require('../../../scripts/shipped-methods.js') as {
  shippedMethodsFor(platform: string, arch: string): ReadonlyArray<{ type: number; authorId: number; authorName: string; properties: number }>;
};
const shippedMethods = shippedMethodsFor('win32', process.arch);

// An author id no real method uses (top of the DWORD range), and an unassigned EAP type.
const AUTHOR = '4294967001';
const TYPE = '250';
const key = `${methodsKey}\\${AUTHOR}\\${TYPE}`;

function run(...args: string[]): { status: number; output: string } {
  return runRegisterScript([...args, '--author', AUTHOR, '--type', TYPE]);
}

describe('scripts/register-method.js (reg.exe)', function () {
  before(function () {
    requireWindows();
    run('unregister');
  });

  after(function () {
    run('unregister');
  });

  it('writes the documented peer and authenticator values', function () {
    const dll = builtinMethods.md5.path;
    const result = run('register', '--dll', dll, '--name', 'Registration test', '--properties', '0x2000000');
    assert.equal(result.status, 0, result.output);
    const values = queryRegistry(key);
    assert.ok(values);
    assert.deepEqual(values.get('PeerDllPath'), { type: 'REG_EXPAND_SZ', data: path.resolve(dll) });
    assert.deepEqual(values.get('AuthenticatorDllPath'), { type: 'REG_EXPAND_SZ', data: path.resolve(dll) });
    assert.deepEqual(values.get('PeerFriendlyName'), { type: 'REG_SZ', data: 'Registration test' });
    assert.deepEqual(values.get('AuthenticatorFriendlyName'), { type: 'REG_SZ', data: 'Registration test' });
    assert.deepEqual(values.get('PeerInvokeUsernameDialog'), { type: 'REG_DWORD', data: '0x0' });
    assert.deepEqual(values.get('PeerInvokePasswordDialog'), { type: 'REG_DWORD', data: '0x0' });
    assert.deepEqual(values.get('Properties'), { type: 'REG_DWORD', data: '0x2000000' });
  });

  it('unregisters the peer side and leaves the authenticator side intact', function () {
    const result = run('unregister', '--peer');
    assert.equal(result.status, 0, result.output);
    const values = queryRegistry(key);
    assert.ok(values, 'the key must survive while the authenticator side is registered');
    for (const gone of ['PeerDllPath', 'PeerFriendlyName', 'PeerInvokeUsernameDialog', 'PeerInvokePasswordDialog']) {
      assert.equal(values.has(gone), false, `${gone} should be gone`);
    }
    assert.equal(values.get('AuthenticatorDllPath')?.data, path.resolve(builtinMethods.md5.path));
    assert.equal(values.get('Properties')?.data, '0x2000000');
  });

  it('removes the key once the last side is unregistered', function () {
    const result = run('unregister', '--authenticator');
    assert.equal(result.status, 0, result.output);
    assert.equal(queryRegistry(key), null);
    assert.equal(queryRegistry(`${methodsKey}\\${AUTHOR}`), null, 'the empty author key should go too');
  });

  it('refuses a relative DLL path', function () {
    const result = run('register', '--dll', 'eap_methods.dll');
    assert.equal(result.status, 2);
    assert.match(result.output, /absolute path/);
    assert.equal(queryRegistry(key), null);
  });
});

describe('the shipped methods as registered (reg.exe, then GetMethods and GetMethodProperties)', function () {
  let host: EapHost | undefined;
  windowsHostHooks((opened) => { host = opened; });

  it('GetMethods reports the author name and the Properties the module claims', async function () {
    await methodPropertyChecks(host!);
  });

  it('the registry holds the author name and each method\'s Properties as written', function () {
    for (const method of shippedMethods) {
      const author = queryRegistry(`${methodsKey}\\${method.authorId}`);
      // Both places Windows may read it from (scripts/register-method.js).
      assert.equal(author?.get('(Default)')?.data, method.authorName);
      assert.equal(author?.get('Name')?.data, method.authorName);
      const values = queryRegistry(`${methodsKey}\\${method.authorId}\\${method.type}`);
      assert.equal(values?.get('Properties')?.data, `0x${method.properties.toString(16)}`);
    }
  });
});
