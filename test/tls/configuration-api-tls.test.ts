/**
 * The configuration API for the TLS-based methods (EAP-TLS, PEAP, EAP-TTLS), which only builds
 * with GnuTLS have (Linux lane). Independent truth: the connection data's documented byte
 * layout (seam/connection_data.js, the table of its generated connection_data_format.h), built
 * entry by entry in this test (connectionDataLayout); the credential blob's documented layout; the embedded authenticator's
 * verdict for a PEAP session begun from XML-made blobs. lib/core/connection-data.ts's encoder is the
 * project's own second writer of the same bytes: it must agree too, but proves nothing alone.
 */
import { strict as assert } from 'assert';
import { EapHost, authenticate, createAuthenticator, openEapHost } from '../../lib';
import { encodeConnectionData } from '../../lib/core/connection-data';
import type { ConnectionDataOptions } from '../../lib/core/connection-data';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { randomCredentials } from '../helpers';
import {
  LAYOUT, assertCredentialsBlob, buildConfigXml, buildCredentialsXml, connectionDataLayout, credentialBlobLayout, isEapError, ours, pemEntry,
} from '../support/eap-config-xml';

const METHODS = { tls: 13, ttls: 21, peap: 25 } as const;

describe('configuration API: EAP-TLS, PEAP, EAP-TTLS', function () {
  this.timeout(30_000);
  let host: EapHost;
  const pki = processEphemeralCa();
  const client = pki.issueClient('carol');

  before(async () => {
    host = await openEapHost({ backend: 'portable' });
  });
  after(async () => {
    await host?.close();
  });

  const cases: { name: keyof typeof METHODS; options: ConnectionDataOptions; elements: [string, string][];
    layout: [number, Buffer | string][] }[] = [
    {
      name: 'peap',
      options: { ca: pki.ca, serverName: ['radius.example.net', pki.serverName], requireCryptoBinding: true,
        tls: { min: '1.2', max: '1.3' }, innerMethod: 'gtc', anonymousIdentity: 'anonymous@example.net' },
      elements: [['Ca', pki.ca], ['ServerName', 'radius.example.net'], ['ServerName', pki.serverName],
        ['RequireCryptoBinding', 'true'], ['TlsMin', '1.2'], ['TlsMax', '1.3'], ['InnerMethod', 'gtc'],
        ['AnonymousIdentity', 'anonymous@example.net']],
      layout: [[LAYOUT.ca, pemEntry(pki.ca)], [LAYOUT.serverName, 'radius.example.net'], [LAYOUT.serverName, pki.serverName],
        [LAYOUT.flags, LAYOUT.flagRequireCryptoBinding], [LAYOUT.tlsMin, LAYOUT.tls12], [LAYOUT.tlsMax, LAYOUT.tls13],
        [LAYOUT.innerMethod, LAYOUT.gtc], [LAYOUT.anonymousIdentity, 'anonymous@example.net']],
    },
    {
      name: 'ttls',
      options: { insecure: true, phase2: 'eap', innerMethod: 'md5', tls: { max: '1.2' } },
      elements: [['Insecure', 'true'], ['TlsMax', '1.2'], ['InnerMethod', 'md5'], ['Phase2', 'eap']],
      layout: [[LAYOUT.flags, LAYOUT.flagInsecure], [LAYOUT.tlsMax, LAYOUT.tls12], [LAYOUT.innerMethod, LAYOUT.md5],
        [LAYOUT.phase2, LAYOUT.phase2Eap]],
    },
    {
      name: 'tls',
      options: { ca: pki.ca, cert: client.cert, key: client.key, anonymousIdentity: 'carol@example.net' },
      elements: [['Ca', pki.ca], ['Certificate', client.cert], ['PrivateKey', client.key],
        ['AnonymousIdentity', 'carol@example.net']],
      layout: [[LAYOUT.ca, pemEntry(pki.ca)], [LAYOUT.certificate, pemEntry(client.cert)],
        [LAYOUT.privateKey, pemEntry(client.key)], [LAYOUT.anonymousIdentity, 'carol@example.net']],
    },
  ];

  for (const { name, options, elements, layout } of cases) {
    it(`${name}: XML → blob is the documented byte layout (and encodeConnectionData's), XML → blob → XML → blob a fixed point`, async () => {
      const type = METHODS[name];
      const made = await host.configXml2Blob(buildConfigXml(type, elements));
      assert.deepEqual(made.methodType, ours(type));
      assert.equal(made.config.toString('hex'), connectionDataLayout(layout).toString('hex'));
      assert.equal(made.config.toString('hex'), encodeConnectionData(options).toString('hex'));
      const written = await host.configBlob2Xml(made.methodType, made.config);
      const again = await host.configXml2Blob(written);
      assert.equal(again.config.toString('hex'), made.config.toString('hex'));
      assert.equal(await host.configBlob2Xml(again.methodType, again.config), written, 'the XML is a fixed point too');
    });
  }

  it('a PKCS#12 travels as base64 and comes back byte for byte, in the documented layout', async () => {
    const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.alloc(256, 7)]);
    const options: ConnectionDataOptions = { insecure: true, pkcs12: der, keyPassword: 'p12 secret' };
    const made = await host.configXml2Blob(buildConfigXml(13, [['Insecure', 'true'],
      ['Pkcs12', der.toString('base64').replace(/(.{64})/g, '$1\n')], ['PrivateKeyPassword', 'p12 secret']]));
    assert.equal(made.config.toString('hex'), connectionDataLayout([[LAYOUT.flags, LAYOUT.flagInsecure],
      [LAYOUT.pkcs12, der], [LAYOUT.privateKeyPassword, 'p12 secret']]).toString('hex'));
    assert.equal(made.config.toString('hex'), encodeConnectionData(options).toString('hex'));
    const written = await host.configBlob2Xml(made.methodType, made.config);
    assert.equal((await host.configXml2Blob(written)).config.toString('hex'), made.config.toString('hex'));
  });

  it('ConfigBlob2Xml writes the elements in the documented order whatever order the XML gave them', async () => {
    const xml = buildConfigXml(25, [['AnonymousIdentity', 'a@b'], ['InnerMethod', 'mschapv2'], ['TlsMin', '1.3'],
      ['ServerName', pki.serverName], ['Ca', pki.ca]]);
    const { methodType, config } = await host.configXml2Blob(xml);
    const written = await host.configBlob2Xml(methodType, config);
    const order = [...written.matchAll(/<(Ca|ServerName|TlsMin|InnerMethod|AnonymousIdentity)>/g)].map((m) => m[1]);
    assert.deepEqual(order, ['Ca', 'ServerName', 'TlsMin', 'InnerMethod', 'AnonymousIdentity']);
  });

  for (const name of ['peap', 'ttls'] as const) {
    it(`${name}: credentials XML → blob equals the module's userBlob and the documented layout`, async () => {
      await assertCredentialsBlob(host, name, METHODS[name]);
    });
  }

  it('tls: credentials are the identity alone; a Password element is refused', async () => {
    const made = await host.credentialsXml2Blob(buildCredentialsXml(13, 'carol'), Buffer.alloc(0));
    assert.equal(made.credentials.toString('hex'), credentialBlobLayout('carol', '').toString('hex'));
    await assert.rejects(host.credentialsXml2Blob(buildCredentialsXml(13, 'carol', 'pw'), Buffer.alloc(0)),
      isEapError(13, /Password> does not apply/));
  });

  it('a PEAP session begun from XML-made blobs authenticates against the embedded authenticator', async () => {
    const { identity, password } = randomCredentials();
    await using authenticator = await createAuthenticator({ methods: ['peap'], users: { [identity]: { password } } });
    assert.ok(authenticator.trust);
    const { config } = await host.configXml2Blob(buildConfigXml(25, [['Ca', authenticator.trust.ca],
      ['ServerName', authenticator.trust.serverName], ['InnerMethod', 'mschapv2']]));
    const { credentials } = await host.credentialsXml2Blob(buildCredentialsXml(25, identity, password), config);
    await using session = await host.beginSession({ method: 'peap', connectionData: config, userData: credentials });
    const result = await authenticate({ session, transport: authenticator.createConversation() });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.method, 25);
    assert.equal(result.mppeKeysMatch, true);
  });

  const truthy = async (config: Buffer) =>
    new Set((await host.getMethodProperties(ours(25), { config })).filter((p) => p.value === true).map((p) => p.name));

  it('PEAP properties: a tunnel with confidentiality; identity privacy and cryptobinding follow its configuration', async () => {
    const plain = (await host.configXml2Blob(buildConfigXml(25, [['Ca', pki.ca]]))).config;
    const both = (await host.configXml2Blob(buildConfigXml(25, [['Ca', pki.ca], ['RequireCryptoBinding', 'true'],
      ['AnonymousIdentity', 'anonymous@example.net']]))).config;
    const without = await truthy(plain);
    for (const present of ['tunnelMethod', 'mutualAuth', 'confidentiality', 'keyDerivation', 'fragmentation']) {
      assert.equal(without.has(present), true, present);
    }
    assert.equal(without.has('identityPrivacy'), false);
    assert.equal(without.has('cryptoBinding'), false);
    const withBoth = await truthy(both);
    assert.equal(withBoth.has('identityPrivacy'), true);
    assert.equal(withBoth.has('cryptoBinding'), true);
  });

  it('PEAP properties of connection data holding types the XML has no element for (13, 16): read, and refused as XML', async () => {
    // A peer that keeps no session (sessionLifetime 0) and asks for a stapled OCSP response: the
    // module's properties once refused such a blob whole and claimed neither identity privacy
    // nor cryptobinding.
    const config = connectionDataLayout([[LAYOUT.ca, pemEntry(pki.ca)], [LAYOUT.ocsp, Buffer.of(1)],
      [LAYOUT.flags, LAYOUT.flagRequireCryptoBinding], [LAYOUT.sessionLifetime, Buffer.alloc(4)],
      [LAYOUT.anonymousIdentity, 'anonymous@example.net']]);
    assert.deepEqual(encodeConnectionData({ ca: pki.ca, ocsp: 'request', requireCryptoBinding: true, resumption: false,
      anonymousIdentity: 'anonymous@example.net' }), config);
    const properties = await truthy(config);
    assert.equal(properties.has('identityPrivacy'), true);
    assert.equal(properties.has('cryptoBinding'), true);
    // The XML would lose them on the way back: a typed refusal naming the first, not a shorter profile.
    await assert.rejects(host.configBlob2Xml(ours(25), config), isEapError(13, /ocsp field \(type 16\) has no element/));
  });

  it('values out of range, misplaced and contradictory elements are EapErrors naming the element', async () => {
    const peap = (elements: [string, string][]) => buildConfigXml(25, elements);
    const bad: [string, RegExp][] = [
      [peap([['TlsMin', '1.1'], ['Insecure', 'true']]), /TlsMin/],
      [peap([['TlsMin', '1.3'], ['TlsMax', '1.2'], ['Insecure', 'true']]), /TlsMin> is above/],
      [peap([['ServerName', 'not a name'], ['Ca', pki.ca]]), /ServerName/],
      [peap([['Ca', 'no certificate here']]), /Ca/],
      [peap([['Phase2', 'pap'], ['Insecure', 'true']]), /Phase2/],
      [peap([['Insecure', 'yes']]), /Insecure/],
      [peap([]), /No trusted CA/],
      [peap([['Ca', pki.ca], ['Insecure', 'true']]), /not both/],
      [peap([['AnonymousIdentity', 'x'.repeat(300)], ['Insecure', 'true']]), /AnonymousIdentity/],
      [buildConfigXml(13, [['Insecure', 'true']]), /client certificate/],
      [buildConfigXml(13, [['Insecure', 'true'], ['Pkcs12', 'not base64!']]), /Pkcs12/],
      [buildConfigXml(21, [['Insecure', 'true'], ['InnerMethod', 'gtc']]), /Phase2> is eap/],
    ];
    for (const [xml, pattern] of bad) await assert.rejects(host.configXml2Blob(xml), isEapError(13, pattern), xml.slice(-300));
    await assert.rejects(host.configBlob2Xml(ours(25), Buffer.from('eCFG\x01\x01\x00\x00\x10\x00', 'latin1')), isEapError(13));
  });
});
