/**
 * The configuration API on the portable backend (the portable EAPHost library under Linux, its
 * Windows build under Wine): Microsoft's EapHostConfig / EapHostUserCredentials XML with our
 * methods' elements, through the portable EAPHost's exports and the method modules' EapPeer*Xml*
 * routines, for the methods every build ships (EAP-MD5, EAP-GTC, EAP-MSCHAPv2; the TLS-based
 * ones are in test/tls/configuration-api-tls.test.ts). Independent truth: the credential blob's
 * documented layout written out here byte by byte, the module's own userBlob, and the embedded
 * authenticator's verdict for a session begun from XML-made blobs.
 */
import { strict as assert } from 'assert';
import { EapError, EapHost, authenticate, createAuthenticator, openEapHost } from '../lib';
import type { EapMethodTypeInfo } from '../lib';
import { randomCredentials } from './helpers';
import {
  EAP_HOST_CONFIG_NS, assertCredentialsBlob, buildConfigXml, buildCredentialsXml, credentialBlobLayout, isEapError, ours,
} from './support/eap-config-xml';

const METHODS = { md5: 4, gtc: 6, mschapv2: 26 } as const;

describe('configuration API (portable EAPHost): XML, blobs, properties', function () {
  this.timeout(30_000);
  let host: EapHost;

  before(async () => {
    host = await openEapHost({ backend: 'portable' });
  });
  after(async () => {
    await host?.close();
  });

  for (const [name, type] of Object.entries(METHODS)) {
    it(`${name}: an empty EapHostMethodConfig is an empty blob, and blob → XML → blob is a fixed point`, async () => {
      const made = await host.configXml2Blob(buildConfigXml(type, []));
      assert.deepEqual(made.methodType, ours(type));
      assert.equal(made.config.length, 0);
      const written = await host.configBlob2Xml(made.methodType, made.config);
      assert.match(written, new RegExp(`^<EapHostConfig xmlns="${EAP_HOST_CONFIG_NS}">`));
      assert.match(written, /<EapHostMethodConfig xmlns="urn:eaphost:config:1"/);
      assert.match(written, new RegExp(`<Type xmlns="http://www.microsoft.com/provisioning/EapCommon">${type}</Type>`));
      const again = await host.configXml2Blob(written);
      assert.equal(again.config.length, 0);
      assert.deepEqual(again.methodType, ours(type));
    });

    it(`${name}: credentials XML → blob equals the documented layout and the module's userBlob`, async () => {
      // Whitespace around values is trimmed.
      await assertCredentialsBlob(host, name as keyof typeof METHODS, type);
    });
  }

  it('non-ASCII identities and passwords survive the XML and the UTF-16 DOM', async () => {
    const identity = 'zoë@例え.jp';
    const password = 'pä55 wörd 🔑';
    const made = await host.credentialsXml2Blob(buildCredentialsXml(26, identity, password), Buffer.alloc(0));
    assert.equal(made.credentials.toString('hex'), credentialBlobLayout(identity, password).toString('hex'));
  });

  it('an EAP-MSCHAPv2 session begun from XML-made blobs authenticates against the embedded authenticator', async () => {
    const { identity, password } = randomCredentials();
    await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    const { config } = await host.configXml2Blob(buildConfigXml(26, []));
    const { credentials } = await host.credentialsXml2Blob(buildCredentialsXml(26, identity, password), config);
    await using session = await host.beginSession({ method: 'mschapv2', connectionData: config, userData: credentials });
    const result = await authenticate({ session, transport: authenticator.createConversation() });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.method, 26);
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
    const truthy = async (type: number) =>
      new Set((await host.getMethodProperties(ours(type))).filter((p) => p.value === true).map((p) => p.name));

    it('EAP-MD5 and EAP-GTC authenticate the user and nothing more; EAP-MSCHAPv2 is mutual and derives keys', async () => {
      for (const type of [4, 6]) {
        const props = await truthy(type);
        assert.equal(props.has('userAuth'), true);
        for (const absent of ['mutualAuth', 'keyDerivation', 'confidentiality', 'dictionaryAttackResistance', 'tunnelMethod']) {
          assert.equal(props.has(absent), false, `${type} ${absent}`);
        }
      }
      const mschapv2 = await truthy(26);
      for (const present of ['mutualAuth', 'keyDerivation', 'keyStrength128', 'mppeEncryption', 'userAuth']) {
        assert.equal(mschapv2.has(present), true, present);
      }
      assert.equal(mschapv2.has('tunnelMethod'), false);
    });

    it('the legacy flag word holds the same properties as the booleans (eapProp* bits)', async () => {
      for (const type of Object.values(METHODS)) {
        const properties = await host.getMethodProperties(ours(type));
        assert.equal(properties.filter((p) => p.valueType === 0).length, 29, 'every boolean property 0..28');
        const legacy = properties.find((p) => p.name === 'legacyMethodPropertyFlag');
        assert.ok(legacy && typeof legacy.value === 'number');
        const bits = properties.filter((p) => p.value === true).reduce((sum, p) => (sum | (1 << p.type)) >>> 0, 0);
        assert.equal(legacy.value, bits, `type ${type}`);
      }
    });
  });

  describe('bad input is a typed error, never a crash', () => {
    it('malformed, truncated, DTD, wrong-namespace and unknown-element documents are EapErrors', async () => {
      const good = buildConfigXml(26, []);
      const credentials = buildCredentialsXml(26, 'alice', 'pw');
      const bad = [
        good.slice(0, good.length - 30),
        '<EapHostConfig xmlns="urn:wrong"><EapMethod/></EapHostConfig>',
        `<!DOCTYPE EapHostConfig [<!ENTITY x "y">]>${good}`,
        good.replace('urn:eaphost:config:1', 'urn:eaphost:config:2'),
        good.replace('</EapMethod>', '</EapMethod><Unexpected/>'),
        buildConfigXml(26, [['Insecure', 'true']]),
        good.replace('<Type xmlns="http://www.microsoft.com/provisioning/EapCommon">26', '<Type xmlns="http://www.microsoft.com/provisioning/EapCommon">x'),
        '<a>&undefined;</a>',
        // Not namespace-well-formed: a colon with no prefix, and a declaration of an empty prefix.
        good.replace('<EapMethod>', '<EapMethod :xmlns="urn:x">'),
        good.replace('<EapMethod>', '<EapMethod xmlns:="urn:x">'),
        '',
      ];
      for (const xml of bad) await assert.rejects(host.configXml2Blob(xml), isEapError(undefined), xml.slice(0, 120));
      const badCredentials = [
        credentials.replace('<Password>', '<Pin>1</Pin><Password>'),
        credentials.replace('urn:eaphost:credentials:1', 'urn:eaphost:config:1'),
        credentials.replace('<Identity>alice</Identity>', ''),
        credentials.slice(0, 100),
      ];
      for (const xml of badCredentials) {
        await assert.rejects(host.credentialsXml2Blob(xml, Buffer.alloc(0)), isEapError(undefined), xml.slice(0, 120));
      }
    });

    it('an unregistered method type is EAP_E_EAPHOST_METHOD_NOT_INSTALLED', async () => {
      const xml = buildConfigXml(26, []).replace('>32473<', '>311<');
      await assert.rejects(host.configXml2Blob(xml), (e: unknown) => e instanceof EapError && e.reasonCode === 0x80420011);
      await assert.rejects(host.configBlob2Xml({ type: 99, vendorId: 0, vendorType: 0, authorId: 32473 }, Buffer.alloc(0)),
        (e: unknown) => e instanceof EapError && e.reasonCode === 0x80420011);
    });

    it('oversized XML is a RangeError before anything native runs; a blob for a method without configuration is an EapError', async () => {
      const huge = buildCredentialsXml(26, 'x'.repeat(1024 * 1024), 'pw');
      await assert.rejects(host.credentialsXml2Blob(huge, Buffer.alloc(0)), RangeError);
      await assert.rejects(host.credentialsXml2Blob(buildCredentialsXml(26, 'x'.repeat(300), 'pw'), Buffer.alloc(0)),
        isEapError(13, /identity/));
      await assert.rejects(host.configBlob2Xml(ours(26), Buffer.from([1])), isEapError(13));
    });

    it('wrong argument types are TypeErrors', async () => {
      await assert.rejects(host.configXml2Blob(42 as unknown as string), TypeError);
      await assert.rejects(host.configXml2Blob('<a>\0</a>'), TypeError);
      await assert.rejects(host.configBlob2Xml(ours(26), 'blob' as unknown as Buffer), TypeError);
      await assert.rejects(host.configBlob2Xml({ type: 300 } as EapMethodTypeInfo, Buffer.alloc(0)), TypeError);
      await assert.rejects(host.credentialsXml2Blob(buildCredentialsXml(26, 'a', 'b'), undefined as unknown as Buffer), TypeError);
      await assert.rejects(host.queryUserBlobFromCredentialInputFields(ours(26), Buffer.alloc(0), [{ type: 99 } as never]),
        RangeError);
      await assert.rejects(host.invokeConfigUI('hwnd' as unknown as Buffer, ours(26)), TypeError);
      await assert.rejects(host.invokeConfigUI(Buffer.alloc(3), ours(26)), RangeError);
    });
  });

  it('the UI calls and the interactive-UI queries are refused cleanly (ERROR_NOT_SUPPORTED)', async () => {
    const window = Buffer.alloc(process.arch === 'ia32' ? 4 : 8);
    await assert.rejects(host.invokeConfigUI(window, ours(26)), isEapError(50, /no user interface/));
    await assert.rejects(host.invokeIdentityUI(0n, ours(26)), isEapError(50, /no user interface/));
    await assert.rejects(host.invokeInteractiveUI(window, Buffer.from([1, 2, 3])), isEapError(50));
    await assert.rejects(host.queryInteractiveUIInputFields(Buffer.from([1])), isEapError(50));
    await assert.rejects(host.queryUIBlobFromInteractiveUIInputFields(Buffer.from([1]), { type: 1, fields: [] }),
      isEapError(50));
  });

  // Each UI call runs on a thread nobody joins. MinGW's winpthreads could free a new detached
  // thread's control block when the previous one exited, so that thread never ran its body and
  // its call never settled (under Wine, within a few hundred calls: native/addon/runtime/own_thread.h).
  it('two hundred UI calls in a row each settle, on a thread of its own', async function () {
    this.timeout(120000);
    const window = Buffer.alloc(process.arch === 'ia32' ? 4 : 8);
    for (let i = 0; i < 200; i++) {
      const call = i % 2 === 0 ? host.invokeIdentityUI(0n, ours(26)) : host.invokeInteractiveUI(window, Buffer.from([1, 2, 3]));
      let timer: NodeJS.Timeout | undefined;
      const unsettled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`UI call ${i} never settled`)), 10000);
      });
      try {
        await assert.rejects(Promise.race([call, unsettled]), isEapError(50));
      } finally {
        clearTimeout(timer);
      }
    }
  });

  it('a closed host refuses configuration calls with a state error', async () => {
    const closed = await openEapHost({ backend: 'portable' });
    await closed.close();
    await assert.rejects(closed.configXml2Blob(buildConfigXml(4, [])), (e: unknown) => e instanceof EapError && e.state === 'Closed');
  });
});
