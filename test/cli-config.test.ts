/**
 * `eaphost config`, `eaphost auth --config-xml` and `eaphost methods` as a user runs them (in
 * process, through the CLI's own entry point): a printed profile authenticates when fed back,
 * Microsoft's profile carries the CA's real thumbprint, and bad usage exits 2.
 */
import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { processEphemeralCa } from '../lib/core/ephemeral-ca';
import { printedProfileAuthenticates, runMain, scratchUser } from './support/cli-run';

/** SHA-1 over the DER decoded from the PEM's base64, as "aa bb …". */
function thumbprint(pem: string): string {
  const der = Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha1').update(der).digest('hex').match(/../g)!.join(' ');
}

describe('eaphost config / auth --config-xml / methods', function () {
  this.timeout(60000);
  const account = scratchUser('eaphost-cli-config-');
  const { dir, users } = account;

  it('a printed EAP-MSCHAPv2 profile and credentials authenticate through auth --config-xml', async () => {
    const { configFile } = await printedProfileAuthenticates(dir, 'mschapv2', [], 26, account);
    assert.match(fs.readFileSync(configFile, 'utf8'), /urn:eaphost:config:1/);
  });

  it("--windows prints Microsoft's PEAP profile: author 0, the CA's SHA-1 thumbprint, the server name", async () => {
    const ephemeral = processEphemeralCa();
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, ephemeral.ca);
    const r = await runMain(['config', '--method', 'peap', '--windows', '--ca', ca, '--server-name', 'radius.example.net', '--print-xml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<AuthorId xmlns="http:\/\/www\.microsoft\.com\/provisioning\/EapCommon">0<\/AuthorId>/);
    assert.ok(r.stdout.includes(`<TrustedRootCA>${thumbprint(ephemeral.ca)}</TrustedRootCA>`), r.stdout);
    assert.ok(r.stdout.includes('<ServerNames>radius.example.net</ServerNames>'));
    const user = await runMain(['config', '--method', 'peap', '--windows', '--credentials', '--identity', 'CORP\\alice',
      '--password', 'a<b', '--print-xml']);
    assert.equal(user.code, 0, user.stderr);
    assert.ok(user.stdout.includes('<Password>a&lt;b</Password>') && user.stdout.includes('<LogonDomain>CORP</LogonDomain>'));
  });

  it("--windows --method teap --inner-method tls --teap-secondary-inner-method mschapv2: two InnerMethodConfig, EAP-TLS first", async () => {
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, processEphemeralCa().ca);
    const r = await runMain(['config', '--method', 'teap', '--windows', '--ca', ca, '--server-name', 'radius.example.net',
      '--inner-method', 'tls', '--teap-secondary-inner-method', 'mschapv2', '--print-xml']);
    assert.equal(r.code, 0, r.stderr);
    const inner = [...r.stdout.matchAll(/<InnerMethodConfig>[\s\S]*?<Type xmlns="http:\/\/www\.microsoft\.com\/provisioning\/EapCommon">(\d+)<\/Type>/g)]
      .map((match) => Number(match[1]));
    assert.deepEqual(inner, [13, 26], r.stdout);
    const order = await runMain(['config', '--method', 'teap', '--windows', '--ca', ca, '--teap-mschapv2-key-order', 'windows', '--print-xml']);
    assert.equal(order.code, 2);
    assert.match(order.stderr, /--teap-mschapv2-key-order has no equivalent in Windows' own teap profile/);
  });

  it('bad usage exits 2 with one line saying why', async () => {
    for (const argv of [
      ['config', '--method', 'peap', '--shipped'],                                   // no --print-xml
      ['config', '--method', 'peap', '--windows', '--shipped', '--print-xml'],
      ['config', '--method', 'peap', '--shipped', '--print-xml'],                    // no --ca, no --insecure
      ['config', '--method', 'md5', '--windows', '--print-xml'],                     // not one of Windows' own
      ['config', '--method', 'mschapv2', '--shipped', '--print-xml', '--identity', 'x'],
      ['auth', '--config-xml', path.join(dir, 'missing.xml'), '--users', users],
      ['auth', '--config-xml', path.join(dir, 'mschapv2.xml'), '--method', 'md5', '--users', users],
    ]) {
      const r = await runMain(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, new RegExp(`^eaphost ${argv[0]}: `), argv.join(' '));
    }
  });

  it('methods --json lists each method with its named properties; EAP-MSCHAPv2 authenticates the server', async () => {
    const r = await runMain(['methods', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const methods = JSON.parse(r.stdout) as { type: number; authorId: number; methodProperties?: { name?: string; value: unknown }[] }[];
    const mschapv2 = methods.find((m) => m.type === 26 && m.authorId === 32473);
    assert.ok(mschapv2?.methodProperties, r.stdout);
    const on = mschapv2.methodProperties.filter((p) => p.value === true).map((p) => p.name);
    // draft-kamath-pppext-eap-mschapv2: the authenticator response proves the server; RFC 3079 keys.
    assert.ok(on.includes('mutualAuth') && on.includes('keyDerivation'), JSON.stringify(on));
    const md5 = methods.find((m) => m.type === 4 && m.authorId === 32473);
    assert.ok(!md5?.methodProperties?.some((p) => p.name === 'mutualAuth' && p.value === true), 'EAP-MD5 proves nothing about the server');
  });
});
