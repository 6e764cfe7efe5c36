/**
 * The Windows store rules, checked with the values the Windows calls return (they are pure:
 * native/methods/tls/gnutls/tls_store_rules.h, native/platform/root_store_rules.h), through
 * test/fixtures/store_rules_check.cc compiled here with the system's C++ compiler:
 *  - PKCS#1 v1.5 through CNG names the hash: the DigestInfo GnuTLS hands over is recovered here
 *    from a signature node:crypto made (publicDecrypt undoes the padding), and the rule must find
 *    the hash node:crypto computed at the offset it names; only MD5 || SHA-1 goes unnamed;
 *  - RSA-PSS is offered only where the provider makes TLS 1.3's (provider names and the TPM's
 *    salt-rule values as the SDK's ncrypt.h spells them);
 *  - a CurrentUser look-up without a token in LocalSystem is refused;
 *  - a CurrentUser\Root install is refused under the ProtectedRoots policy and without a visible
 *    window station (WSF_VISIBLE and CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG read from the
 *    SDK headers by mingw-w64's preprocessor, not from our code).
 * The Windows calls around them run in the Wine lane (test/windows/root-store.test.ts,
 * test/wine-host/root-store-station.test.ts, test/windows/cert-store-windows.test.ts).
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { constants, createHash, generateKeyPairSync, publicDecrypt, randomBytes, sign } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/scratch';

/**
 * The values the SDK headers (as mingw-w64 ships them) give these names, read by the
 * cross-compiler's preprocessor: not from our code.
 */
function sdkValues(names: string[]): Map<string, string> {
  const source = ['windows.h', 'wincrypt.h', 'ncrypt.h'].map((header) => `#include <${header}>`)
    .concat(names.map((name) => `eaphost_value_${name} ${name}`)).join('\n') + '\n';
  const run = spawnSync('x86_64-w64-mingw32-g++-posix', ['-E', '-P', '-x', 'c++', '-'], { input: source, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(!run.error, `the cross-compiler did not run (apt-get install mingw-w64): ${run.error?.message}`);
  assert.equal(run.status, 0, run.stderr);
  const values = new Map<string, string>();
  for (const line of run.stdout.split('\n')) {
    const found = /^eaphost_value_(\w+) (.+)$/.exec(line.trim());
    if (found) values.set(found[1], found[2]);
  }
  for (const name of names) assert.ok(values.get(name) !== name, `the SDK headers define no ${name}`);
  return values;
}
const sdkString = (values: Map<string, string>, name: string): string => /^L"(.*)"$/.exec(values.get(name)!)![1];
const sdkNumber = (values: Map<string, string>, name: string): number => Number(/^(0x[0-9a-fA-F]+|\d+)/.exec(values.get(name)!)![1]);

describe('Windows store rules, with the values Windows returns', function () {
  this.timeout(60000);
  let dir: string;
  let check: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-store-rules-'));
    check = path.join(dir, 'store_rules_check');
    const build = spawnSync('c++', ['-std=c++17', '-O1', '-Wall', '-Wextra', '-Wshadow', '-Werror', '-I', path.join(repoRoot, 'native'),
      path.join(repoRoot, 'test', 'fixtures', 'store_rules_check.cc'), '-o', check], { encoding: 'utf8' });
    assert.equal(build.status, 0, `the fixture did not compile:\n${build.stderr}`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function ask(questions: string[]): string[] {
    const run = spawnSync(check, [], { input: questions.join('\n') + '\n', encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trimEnd().split('\n');
  }

  describe('PKCS#1 v1.5 through CNG names its hash', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const data = randomBytes(100);
    const hashes = [['sha1', 'SHA1'], ['sha256', 'SHA256'], ['sha384', 'SHA384'], ['sha512', 'SHA512']] as const;

    it('a DigestInfo (TLS 1.2, handed over unnamed): the hash it carries, named, at its offset', () => {
      const digestInfos = hashes.map(([node]) =>
        publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, sign(node, data, privateKey)));
      const answers = ask(digestInfos.map((info) => `pkcs1 none ${info.toString('hex')}`));
      hashes.forEach(([node, cng], i) => {
        const [name, offset, size] = answers[i].split(' ');
        assert.equal(name, cng, `the DigestInfo of ${node}`);
        const expected = createHash(node).update(data).digest();
        assert.equal(Number(size), expected.length);
        assert.deepEqual(digestInfos[i].subarray(Number(offset), Number(offset) + Number(size)), expected, node);
        assert.equal(Number(offset) + Number(size), digestInfos[i].length);
      });
    });

    it('a hash the signature scheme names: itself, at offset 0; of the wrong length: nothing', () => {
      const answers = ask(hashes.flatMap(([node, cng]) => {
        const hash = createHash(node).update(data).digest();
        return [`pkcs1 ${cng} ${hash.toString('hex')}`, `pkcs1 ${cng} ${hash.subarray(1).toString('hex')}`];
      }));
      hashes.forEach(([node, cng], i) => {
        assert.equal(answers[2 * i], `${cng} 0 ${createHash(node).digest().length}`);
        assert.equal(answers[2 * i + 1], 'none 0 0');
      });
    });

    it('MD5 || SHA-1 (TLS 1.0/1.1, 36 bytes) is the one input signed unnamed; other bytes are refused', () => {
      const md5sha1 = Buffer.concat([createHash('md5').update(data).digest(), createHash('sha1').update(data).digest()]);
      const sha256Info = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, sign('sha256', data, privateKey));
      const tampered = Buffer.from(sha256Info);
      tampered[5] ^= 0x01;  // an OID byte: no DigestInfo prefix matches
      assert.deepEqual(ask([`pkcs1 none ${md5sha1.toString('hex')}`, `pkcs1 none ${tampered.toString('hex')}`,
        `pkcs1 none ${randomBytes(35).toString('hex')}`]), ['MD5+SHA1 0 36', 'none 0 0', 'none 0 0']);
    });
  });

  describe('RSA-PSS only where the provider makes TLS 1.3\'s', () => {
    it('names the providers as ncrypt.h spells them, exactly', () => {
      const sdk = sdkValues(['MS_KEY_STORAGE_PROVIDER', 'MS_PLATFORM_KEY_STORAGE_PROVIDER', 'MS_SMART_CARD_KEY_STORAGE_PROVIDER']);
      assert.deepEqual(ask([
        `provider ${sdkString(sdk, 'MS_KEY_STORAGE_PROVIDER')}`,
        `provider ${sdkString(sdk, 'MS_PLATFORM_KEY_STORAGE_PROVIDER')}`,
        `provider ${sdkString(sdk, 'MS_SMART_CARD_KEY_STORAGE_PROVIDER')}`,
        `provider ${sdkString(sdk, 'MS_KEY_STORAGE_PROVIDER').toLowerCase()}`,
        'provider Contoso Token Key Storage Provider',
      ]), ['software', 'platform', 'smartcard', 'other', 'other']);
    });

    it('a TPM: PSS only with PSS Salt Size 2 (hash size), not 1 (maximum), 0 or absent', () => {
      // NCRYPT_TPM_PSS_SALT_SIZE_UNKNOWN 0, _MAXIMUM 1, _HASHSIZE 2 (the Windows SDK's ncrypt.h,
      // newer than mingw-w64's: docs/WINDOWS-CONTRACT.md, "Certificates from the store").
      const answers = ask(['pss platform 1 2', 'pss platform 1 1', 'pss platform 1 0', 'pss platform 0 0', 'pss platform 1 7']);
      assert.equal(answers[0], 'signs | ');
      assert.match(answers[1], /^tpm-maximum-salt \| .*maximum salt \(PSS Salt Size 1\).*TLS 1\.3/);
      for (const answer of answers.slice(2)) assert.match(answer, /^tpm-salt-unknown \| .*TLS 1\.3/);
    });

    it('the software provider signs PSS; CryptoAPI, smart cards and unknown providers do not, each saying why', () => {
      const answers = ask(['pss software 0 0', 'pss cryptoapi 0 0', 'pss smartcard 0 0', 'pss other 1 2']);
      assert.equal(answers[0], 'signs | ');
      assert.match(answers[1], /^cryptoapi \| .*CryptSignHash.*RSA-PSS/);
      assert.match(answers[2], /^provider-unknown \| .*smart card/);
      assert.match(answers[3], /^provider-unknown \| /);
    });
  });

  it('a CurrentUser look-up: as the token when there is one; refused in LocalSystem without one; LocalMachine as the process', () => {
    assert.deepEqual(ask(['user 1 1 1', 'user 1 1 0', 'user 1 0 1', 'user 1 0 0', 'user 0 1 1', 'user 0 0 1']),
      ['impersonate', 'impersonate', 'refuse', 'process', 'process', 'process']);
  });

  // The LUIDs are what TOKEN_STATISTICS.AuthenticationId holds (LowPart, HighPart); the key is
  // the SID's bytes, then both parts little-endian, as Buffer.writeUInt32LE lays them out.
  it('the store-key credential cache is keyed by the logon session as well as the SID', () => {
    const sid = '010500000000000515000000aabbccdd11223344556677880a040000';
    const luid = (low: number, high: number): string => {
      const bytes = Buffer.alloc(8);
      bytes.writeUInt32LE(low, 0);
      bytes.writeUInt32LE(high, 4);
      return bytes.toString('hex');
    };
    const [consoleKey, rdpKey, again, none] = ask([`userkey ${sid} 999 0`, `userkey ${sid} 4660 1`, `userkey ${sid} 999 0`, 'userkey - 5 0']);
    assert.equal(consoleKey, sid + luid(999, 0));
    assert.equal(rdpKey, sid + luid(4660, 1));
    assert.notEqual(consoleKey, rdpKey, 'two logon sessions of one user do not share credentials');
    assert.equal(again, consoleKey);
    assert.equal(none, 'empty');
  });

  it('a CurrentUser\\Root install: refused under the ProtectedRoots policy and without a visible window station', () => {
    const sdk = sdkValues(['WSF_VISIBLE', 'CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG', 'CERT_PROT_ROOT_INHIBIT_ADD_AT_INIT_FLAG']);
    const visible = sdkNumber(sdk, 'WSF_VISIBLE');
    const disableUser = sdkNumber(sdk, 'CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG');
    const inhibitAdd = sdkNumber(sdk, 'CERT_PROT_ROOT_INHIBIT_ADD_AT_INIT_FLAG');
    assert.deepEqual(ask([
      `root 0 0 0 1 ${visible}`,                       // a desktop session, no policy
      `root 0 1 ${inhibitAdd} 1 ${visible}`,            // another ProtectedRoots flag
      `root 0 1 ${disableUser | inhibitAdd} 1 ${visible}`,
      `root 0 0 0 1 0`,                                 // a service's, SSH's or CI's station
      `root 0 0 0 0 0`,                                 // no station readable
      `root 1 1 ${disableUser} 0 0`,                    // LocalMachine: neither applies
    ]), ['proceed', 'proceed', 'refuse-policy', 'refuse-no-visible-station', 'refuse-no-visible-station', 'proceed']);
  });
});
