/**
 * The configuration API on the portable backend: Microsoft's EapHostConfig / EapHostUserCredentials
 * XML with our methods' elements, through the portable EAPHost's exports and the method modules'
 * EapPeer*Xml* routines. Independent truth: lib/connection-data.ts's encoder (a separate
 * implementation of the connection data) for configuration blobs, the credential blob's documented
 * layout written out here byte by byte, and the embedded authenticator's verdict for a PEAP session
 * begun from XML-made blobs.
 */
import { strict as assert } from 'assert';
import {
  EapError, EapHost, authenticate, createAuthenticator, encodeConnectionData, openEapHost,
} from '../lib';
import type { ConnectionDataOptions, EapMethodTypeInfo } from '../lib';
import { processEphemeralCa } from '../lib/ephemeral-ca';
import { loadPeerMethod } from '../lib/peer-method';
import { randomCredentials } from './helpers';
import {
  EAP_HOST_CONFIG_NS, buildConfigXml, buildCredentialsXml, credentialBlobLayout, ours,
} from './support/eap-config-xml';

const METHODS = { md5: 4, gtc: 6, tls: 13, ttls: 21, peap: 25, mschapv2: 26 } as const;

function isEapError(win32Error?: number, pattern?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => e instanceof EapError && (win32Error === undefined || e.win32Error === win32Error) &&
    (pattern === undefined || pattern.test(e.message));
}

describe('configuration API (portable EAPHost): XML, blobs, properties', function () {
  this.timeout(30_000);
  let host: EapHost;
  const pki = processEphemeralCa();
  const client = pki.issueClient('carol');

  before(async () => {
    host = await openEapHost({ backend: 'portable' });
  });
  after(async () => {
    await host.close();
  });

  // For each method: the options as lib/connection-data.ts takes them, and the same as XML elements.
  const cases: { name: keyof typeof METHODS; options: ConnectionDataOptions; elements: [string, string][] }[] = [
    { name: 'md5', options: {}, elements: [] },
    { name: 'gtc', options: {}, elements: [] },
    { name: 'mschapv2', options: {}, elements: [] },
    {
      name: 'peap',
      options: { ca: pki.ca, serverName: ['radius.example.net', pki.serverName], requireCryptoBinding: true,
        tls: { min: '1.2', max: '1.3' }, innerMethod: 'gtc', anonymousIdentity: 'anonymous@example.net' },
      elements: [['Ca', pki.ca], ['ServerName', 'radius.example.net'], ['ServerName', pki.serverName],
        ['RequireCryptoBinding', 'true'], ['TlsMin', '1.2'], ['TlsMax', '1.3'], ['InnerMethod', 'gtc'],
        ['AnonymousIdentity', 'anonymous@example.net']],
    },
    {
      name: 'ttls',
      options: { insecure: true, phase2: 'eap', innerMethod: 'md5', tls: { max: '1.2' } },
      elements: [['Insecure', 'true'], ['TlsMax', '1.2'], ['InnerMethod', 'md5'], ['Phase2', 'eap']],
    },
    {
      name: 'tls',
      options: { ca: pki.ca, cert: client.cert, key: client.key, anonymousIdentity: 'carol@example.net' },
      elements: [['Ca', pki.ca], ['Certificate', client.cert], ['PrivateKey', client.key],
        ['AnonymousIdentity', 'carol@example.net']],
    },
  ];

  for (const { name, options, elements } of cases) {
    it(`${name}: XML → blob equals encodeConnectionData, and XML → blob → XML → blob is a fixed point`, async () => {
      const type = METHODS[name];
      const xml = buildConfigXml(type, elements);
      const made = await host.configXml2Blob(xml);
      assert.deepEqual(made.methodType, ours(type));
      const expected = elements.length === 0 ? Buffer.alloc(0) : encodeConnectionData(options);
      assert.equal(made.config.toString('hex'), expected.toString('hex'));

      const written = await host.configBlob2Xml(made.methodType, made.config);
      assert.match(written, new RegExp(`^<EapHostConfig xmlns="${EAP_HOST_CONFIG_NS}">`));
      assert.match(written, /<EapHostMethodConfig xmlns="urn:eaphost:config:1"/);
      const again = await host.configXml2Blob(written);
      assert.equal(again.config.toString('hex'), made.config.toString('hex'));
      assert.equal(await host.configBlob2Xml(again.methodType, again.config), written, 'the XML is a fixed point too');
    });
  }

  it('ConfigBlob2Xml writes the elements in the documented order whatever order the XML gave them', async () => {
    const xml = buildConfigXml(25, [['AnonymousIdentity', 'a@b'], ['InnerMethod', 'mschapv2'], ['TlsMin', '1.3'],
      ['ServerName', pki.serverName], ['Ca', pki.ca]]);
    const { methodType, config } = await host.configXml2Blob(xml);
    const written = await host.configBlob2Xml(methodType, config);
    const order = [...written.matchAll(/<(Ca|ServerName|TlsMin|InnerMethod|AnonymousIdentity)>/g)].map((m) => m[1]);
    assert.deepEqual(order, ['Ca', 'ServerName', 'TlsMin', 'InnerMethod', 'AnonymousIdentity']);
  });

  for (const name of ['md5', 'gtc', 'mschapv2', 'peap', 'ttls'] as const) {
    it(`${name}: credentials XML → blob equals the module's userBlob and the documented layout`, async () => {
      const { identity, password } = randomCredentials();
      const type = METHODS[name];
      const made = await host.credentialsXml2Blob(buildCredentialsXml(type, identity, `  ${password}\n`), Buffer.alloc(0));
      assert.deepEqual(made.methodType, ours(type));
      assert.equal(made.credentials.toString('hex'), credentialBlobLayout(identity, password).toString('hex'));
      const method = await loadPeerMethod(name);
      try {
        assert.equal(made.credentials.toString('hex'), (await method.userBlob(identity, password)).toString('hex'));
      } finally {
        await method.close();
      }
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

  it('queryCredentialInputFields → queryUserBlobFromCredentialInputFields makes the same blob as the XML', async () => {
    const { identity, password } = randomCredentials();
    const fields = await host.queryCredentialInputFields(ours(26), Buffer.alloc(0));
    assert.deepEqual(fields.map((f) => [f.type, f.label, f.flags]), [[0, 'User name', 0], [1, 'Password', 1]]);
    const blob = await host.queryUserBlobFromCredentialInputFields(ours(26), Buffer.alloc(0),
      [{ ...fields[0], data: identity }, { ...fields[1], data: password }]);
    assert.equal(blob.toString('hex'), credentialBlobLayout(identity, password).toString('hex'));
    const fromXml = await host.credentialsXml2Blob(buildCredentialsXml(26, identity, password), Buffer.alloc(0));
    assert.equal(blob.toString('hex'), fromXml.credentials.toString('hex'));
  });

  describe('getMethodProperties', () => {
    const truthy = async (type: number, config?: Buffer) =>
      new Set((await host.getMethodProperties(ours(type), { config })).filter((p) => p.value === true).map((p) => p.name));

    it('says what each method provides: EAP-MD5 nothing but user authentication, EAP-MSCHAPv2 mutual auth and keys', async () => {
      const md5 = await truthy(4);
      assert.equal(md5.has('userAuth'), true);
      for (const absent of ['mutualAuth', 'keyDerivation', 'confidentiality', 'dictionaryAttackResistance']) {
        assert.equal(md5.has(absent), false, absent);
      }
      const mschapv2 = await truthy(26);
      for (const present of ['mutualAuth', 'keyDerivation', 'keyStrength128', 'mppeEncryption']) {
        assert.equal(mschapv2.has(present), true, present);
      }
      assert.equal(mschapv2.has('tunnelMethod'), false);
    });

    it('PEAP: a tunnel with confidentiality; identity privacy and cryptobinding follow its configuration', async () => {
      const plain = (await host.configXml2Blob(buildConfigXml(25, [['Ca', pki.ca]]))).config;
      const both = (await host.configXml2Blob(buildConfigXml(25, [['Ca', pki.ca], ['RequireCryptoBinding', 'true'],
        ['AnonymousIdentity', 'anonymous@example.net']]))).config;
      const without = await truthy(25, plain);
      for (const present of ['tunnelMethod', 'mutualAuth', 'confidentiality', 'keyDerivation', 'fragmentation']) {
        assert.equal(without.has(present), true, present);
      }
      assert.equal(without.has('identityPrivacy'), false);
      assert.equal(without.has('cryptoBinding'), false);
      const withBoth = await truthy(25, both);
      assert.equal(withBoth.has('identityPrivacy'), true);
      assert.equal(withBoth.has('cryptoBinding'), true);
    });

    it('the legacy flag word holds the same properties as the booleans (eapProp* bits)', async () => {
      for (const type of Object.values(METHODS)) {
        const properties = await host.getMethodProperties(ours(type));
        const legacy = properties.find((p) => p.name === 'legacyMethodPropertyFlag');
        assert.ok(legacy && typeof legacy.value === 'number');
        const bits = properties.filter((p) => p.value === true).reduce((sum, p) => (sum | (1 << p.type)) >>> 0, 0);
        assert.equal(legacy.value, bits, `type ${type}`);
      }
    });
  });

  describe('bad input is a typed error, never a crash', () => {
    const peap = (elements: [string, string][]) => buildConfigXml(25, elements);

    it('malformed, truncated, DTD and wrong-namespace documents are EapErrors (ERROR_INVALID_DATA)', async () => {
      const good = peap([['Insecure', 'true']]);
      const bad = [
        good.slice(0, good.length - 20),
        '<EapHostConfig xmlns="urn:wrong"><EapMethod/></EapHostConfig>',
        `<!DOCTYPE EapHostConfig [<!ENTITY x "y">]>${good}`,
        good.replace('urn:eaphost:config:1', 'urn:eaphost:config:2'),
        good.replace('<Insecure>', '<Unknown>x</Unknown><Insecure>'),
        good.replace('>true<', '>yes<'),
        peap([['TlsMin', '1.1'], ['Insecure', 'true']]),
        peap([['ServerName', 'not a name'], ['Ca', pki.ca]]),
        peap([['Ca', 'no certificate here']]),
        peap([['Phase2', 'pap'], ['Insecure', 'true']]),
        peap([]),
        buildConfigXml(4, [['Insecure', 'true']]),
        '<a>&undefined;</a>',
        '',
      ];
      for (const xml of bad) {
        await assert.rejects(host.configXml2Blob(xml), isEapError(13), xml.slice(0, 120));
      }
    });

    it('an unregistered method type is EAP_E_EAPHOST_METHOD_NOT_INSTALLED', async () => {
      const xml = buildConfigXml(25, [['Insecure', 'true']]).replace('>32473<', '>311<');
      await assert.rejects(host.configXml2Blob(xml), (e: unknown) => e instanceof EapError && e.reasonCode === 0x80420011);
      await assert.rejects(host.configBlob2Xml({ type: 99, vendorId: 0, vendorType: 0, authorId: 32473 }, Buffer.alloc(0)),
        (e: unknown) => e instanceof EapError && e.reasonCode === 0x80420011);
    });

    it('oversized XML is a RangeError before anything native runs; a corrupt blob is an EapError', async () => {
      const huge = peap([['AnonymousIdentity', 'x'.repeat(1024 * 1024)]]);
      await assert.rejects(host.configXml2Blob(huge), RangeError);
      await assert.rejects(host.configXml2Blob(peap([['AnonymousIdentity', 'x'.repeat(300)], ['Insecure', 'true']])),
        isEapError(13, /AnonymousIdentity/));
      await assert.rejects(host.configBlob2Xml(ours(25), Buffer.from('eCFG\x01\x01\x00\x00\x10\x00', 'latin1')), isEapError(13));
      await assert.rejects(host.configBlob2Xml(ours(26), Buffer.from([1])), isEapError(13));
    });

    it('wrong argument types are TypeErrors', async () => {
      await assert.rejects(host.configXml2Blob(42 as unknown as string), TypeError);
      await assert.rejects(host.configXml2Blob('<a>\0</a>'), TypeError);
      await assert.rejects(host.configBlob2Xml(ours(25), 'blob' as unknown as Buffer), TypeError);
      await assert.rejects(host.configBlob2Xml({ type: 300 } as EapMethodTypeInfo, Buffer.alloc(0)), TypeError);
      await assert.rejects(host.credentialsXml2Blob(buildCredentialsXml(26, 'a', 'b'), undefined as unknown as Buffer), TypeError);
      await assert.rejects(host.queryUserBlobFromCredentialInputFields(ours(26), Buffer.alloc(0),
        [{ type: 99 } as never]), RangeError);
      await assert.rejects(host.invokeConfigUI('hwnd' as unknown as Buffer, ours(26)), TypeError);
    });
  });

  it('the UI calls and the interactive-UI queries are refused cleanly (ERROR_NOT_SUPPORTED)', async () => {
    const window = Buffer.alloc(8);
    await assert.rejects(host.invokeConfigUI(window, ours(25)), isEapError(50, /no user interface/));
    await assert.rejects(host.invokeIdentityUI(0n, ours(26)), isEapError(50, /no user interface/));
    await assert.rejects(host.invokeInteractiveUI(window, Buffer.from([1, 2, 3])), isEapError(50));
    await assert.rejects(host.queryInteractiveUIInputFields(Buffer.from([1])), isEapError(50));
    await assert.rejects(host.queryUIBlobFromInteractiveUIInputFields(Buffer.from([1]), { type: 1, fields: [] }),
      isEapError(50));
  });

  it('a closed host refuses configuration calls with a state error', async () => {
    const closed = await openEapHost({ backend: 'portable' });
    await closed.close();
    await assert.rejects(closed.configXml2Blob(buildConfigXml(4, [])), (e: unknown) => e instanceof EapError && e.state === 'Closed');
  });
});
