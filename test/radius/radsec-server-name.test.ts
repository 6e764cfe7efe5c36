import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { main } from '../../lib/cli/main';
import { RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusAttributeType, RadiusCode } from '../../lib/radius/constants';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { secretFlag } from '../support/cli-run';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { RadSecRig } from '../support/radsec-rig';
import { opensslIn } from '../support/programs';

/**
 * The RadSec server certificate's name (the RadSec revision §3.3.1): a DNS or IP subjectAltName
 * must match; a certificate naming the server only in its CN is refused unless allowed. The
 * certificates are OpenSSL's, issued here by the interop CA from the same key.
 */
const USER = { identity: 'cora', password: 'c0ra pass' };

describe('RadSec server certificate identity: DNS or IP SANs, the CN alone only when allowed', function () {
  this.timeout(30_000);
  const rig = new RadSecRig(USER);

  before(async () => {
    const openssl = opensslIn(rig.pki.dir);
    // The interop server's key and request, issued again: without any subjectAltName, and with an IP one.
    writeFileSync(join(rig.pki.dir, 'cn-only.ext'), 'extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
    writeFileSync(join(rig.pki.dir, 'ip.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    // RFC 7585's NAIRealm otherName (id-on-naiRealm, 1.3.6.1.5.5.7.8.8) beside the DNS name.
    writeFileSync(join(rig.pki.dir, 'realm.ext'),
      `subjectAltName=otherName:1.3.6.1.5.5.7.8.8;UTF8:example.org,DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\n`);
    for (const name of ['cn-only', 'ip', 'realm']) {
      await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`,
        '-days', '1', '-extfile', `${name}.ext`);
    }
  });

  async function serveWith(certificate: string): Promise<number> {
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator: rig.authenticator, pap: true,
      radsec: { cert: readFileSync(join(rig.pki.dir, certificate)), key: rig.pki.serverKey, ca: rig.pki.ca } });
    rig.servers.push(server);
    return (await server.listen()).port;
  }

  async function pap(port: number, options: { serverName?: string; allowCommonNameOnly?: boolean }): Promise<number> {
    const client = new RadSecClient({ cert: rig.pki.clientCert, key: rig.pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: rig.pki.ca,
      timeoutMs: 5000, ...options });
    try {
      const { reply } = await client.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET },
        [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }], { userPassword: Buffer.from(USER.password) });
      return reply.code;
    } finally {
      await client.close();
    }
  }

  it('a CN-only certificate is refused, and accepted with allowCommonNameOnly (still matching the CN)', async () => {
    const port = await serveWith('cn-only.pem');
    await assert.rejects(pap(port, { serverName: SERVER_NAME }), /has no DNS subjectAltName to match radius\.interop\.invalid, only its CN/);
    assert.equal(await pap(port, { serverName: SERVER_NAME, allowCommonNameOnly: true }), RadiusCode.AccessAccept);
    await assert.rejects(pap(port, { serverName: 'other.interop.invalid', allowCommonNameOnly: true }), /other\.interop\.invalid/);
  });

  it('an IP subjectAltName matches a server reached by its address; a DNS one its name', async () => {
    const ip = await serveWith('ip.pem');
    assert.equal(await pap(ip, {}), RadiusCode.AccessAccept);
    await assert.rejects(pap(ip, { serverName: SERVER_NAME }), /has no DNS subjectAltName to match radius\.interop\.invalid/);
    const dns = await serveWith('server.pem');
    assert.equal(await pap(dns, { serverName: SERVER_NAME }), RadiusCode.AccessAccept);
  });

  it('no SNI for a server reached by its address (RFC 6066 §3), its name sent when it has one', async () => {
    // A TLS end that only records the ClientHello's server_name (none: false) and hangs up.
    const names: (string | false)[] = [];
    const tls = createServer({ cert: readFileSync(join(rig.pki.dir, 'ip.pem')), key: rig.pki.serverKey,
      SNICallback: (name, done) => {
        names.push(name);
        done(null);
      } }, (socket) => {
      if (socket.servername === false) names.push(false);
      socket.destroy();
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const { port } = tls.address() as AddressInfo;
    try {
      await assert.rejects(pap(port, { allowCommonNameOnly: false }));
      await assert.rejects(pap(port, { serverName: SERVER_NAME }));
    } finally {
      tls.close();
    }
    assert.deepEqual(names, [false, SERVER_NAME]);
  });

  it('the NAIRealm subjectAltName is read and said when the name does not match', async () => {
    const port = await serveWith('realm.pem');
    assert.equal(await pap(port, { serverName: SERVER_NAME }), RadiusCode.AccessAccept);
    await assert.rejects(pap(port, { serverName: 'other.interop.invalid' }), /other\.interop\.invalid.*\(its NAIRealm: example\.org\)/s);
  });

  it('`--radsec-allow-cn-only` is refused without --radsec', async () => {
    const base = ['auth', '--radius', '127.0.0.1:2083', '--method', 'md5', '--identity', 'x', ...secretFlag('password', 'y')];
    const lines: string[] = [];
    assert.equal(await main([...base, ...secretFlag('secret', 's'), '--radsec-allow-cn-only'], () => undefined, (line) => lines.push(line)), 2);
    assert.match(lines.join('\n'), /--radsec-allow-cn-only applies with --radsec only/);
  });
});
