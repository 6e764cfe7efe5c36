/**
 * Profiles of the shipped TLS methods (built where GnuTLS is: this lane): our XML becomes, through
 * the host's ConfigXml2Blob, exactly the connection data its documented byte layout gives for the
 * same options (built entry by entry in this test: connectionDataLayout), escaped text included —
 * and the same the project's encoder makes — and a PEAP profile printed by `eaphost config --print-xml`
 * authenticates through `eaphost auth --config-xml` against the embedded authenticator.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { authenticate, createAuthenticator, openEapHost } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { ConnectionDataOptions, peerConnectionData } from '../../lib/core/connection-data';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { shippedConfigXml, shippedCredentialsXml } from '../../lib/profile/shipped-config';
import { randomCredentials } from '../helpers';
import { printedProfileAuthenticates, runMain } from '../support/cli-run';
import { LAYOUT, connectionDataLayout, pemEntry } from '../support/eap-config-xml';

describe('TLS method profiles', function () {
  this.timeout(60000);
  let host: EapHost;
  const ephemeral = processEphemeralCa();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-profile-'));

  before(async () => {
    host = await openEapHost();
  });

  after(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('PEAP, TTLS and EAP-TLS XML become the documented connection data layout, markup characters included', async () => {
    const client = ephemeral.issueClient('alice');
    const anonymous = `anon&<>"'\u00e9@example.net`;
    const cases: ['peap' | 'ttls' | 'tls', ConnectionDataOptions, [number, Buffer | string][]][] = [
      ['peap', { ca: ephemeral.ca, serverName: [ephemeral.serverName, 'b.example'], requireCryptoBinding: true,
        tls: { min: '1.2', max: '1.3' }, innerMethod: 'gtc', anonymousIdentity: anonymous },
      [[LAYOUT.ca, pemEntry(ephemeral.ca)], [LAYOUT.serverName, ephemeral.serverName], [LAYOUT.serverName, 'b.example'],
        [LAYOUT.flags, LAYOUT.flagRequireCryptoBinding], [LAYOUT.tlsMin, LAYOUT.tls12], [LAYOUT.tlsMax, LAYOUT.tls13],
        [LAYOUT.innerMethod, LAYOUT.gtc], [LAYOUT.anonymousIdentity, anonymous]]],
      ['ttls', { insecure: true, phase2: 'eap', innerMethod: 'md5', anonymousIdentity: 'x]]>y' },
        [[LAYOUT.flags, LAYOUT.flagInsecure], [LAYOUT.innerMethod, LAYOUT.md5], [LAYOUT.phase2, LAYOUT.phase2Eap],
          [LAYOUT.anonymousIdentity, 'x]]>y']]],
      ['tls', { ca: ephemeral.ca, cert: client.cert, key: client.key },
        [[LAYOUT.ca, pemEntry(ephemeral.ca)], [LAYOUT.certificate, pemEntry(client.cert)], [LAYOUT.privateKey, pemEntry(client.key)]]],
    ];
    for (const [method, options, layout] of cases) {
      const { methodType, config } = await host.configXml2Blob(shippedConfigXml(method, options));
      assert.equal(methodType.authorId, 32473);
      assert.equal(config.toString('hex'), connectionDataLayout(layout).toString('hex'), `${method}: the documented layout`);
      assert.deepEqual(config, peerConnectionData(method, options), `${method}: XML -> blob equals the encoder's blob`);
      // And back: ConfigBlob2Xml's document makes the same blob again.
      const again = await host.configXml2Blob(await host.configBlob2Xml(methodType, config));
      assert.deepEqual(again.config, config, `${method}: blob -> XML -> blob is a fixed point`);
    }
  });

  it('a PEAP session from { configXml, credentialsXml } authenticates, MPPE keys = MSK', async () => {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['peap'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({
        configXml: shippedConfigXml('peap', { ca: authenticator.trust!.ca, serverName: authenticator.trust!.serverName }),
        credentialsXml: shippedCredentialsXml('peap', { identity, password }),
      });
      try {
        const result = await authenticate({ session, transport: authenticator.createConversation() });
        assert.equal(result.success, true, result.reason);
        assert.equal(result.method, 25);
        assert.equal(result.mppeKeysMatch, true);
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  });

  it('`eaphost config --print-xml` output, fed to `eaphost auth --config-xml`, authenticates with PEAP', async () => {
    const { identity, password } = randomCredentials();
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, ephemeral.ca);
    const users = path.join(dir, 'users.json');
    fs.writeFileSync(users, JSON.stringify({ [identity]: { password } }));
    const { configFile, credentialsFile } = await printedProfileAuthenticates(dir, 'peap',
      ['--ca', ca, '--server-name', ephemeral.serverName], 25, { identity, password, users });

    // The same profile with a password the server does not hold: exit 1.
    fs.writeFileSync(credentialsFile, (await runMain(['config', '--method', 'peap', '--shipped', '--credentials', '--identity',
      identity, '--password', `not-${password}`, '--print-xml'])).stdout);
    const refused = await runMain(['auth', '--config-xml', configFile, '--credentials-xml', credentialsFile, '--users', users]);
    assert.equal(refused.code, 1, refused.stderr + refused.stdout);
  });
});
