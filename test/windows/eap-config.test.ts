/**
 * The configuration API on the 'windows' backend: eappcfg.dll from System32 (under Wine, the
 * stand-in scripts/wine/run.sh installs there; on windows-latest, Windows' own), the XML DOM made
 * by MSXML 6. Under Wine the stand-in therefore receives Wine's real MSXML nodes and reads them
 * through IXMLDOMNode::get_xml, and the method module (registered under the EapHost key) makes
 * its ConfigBlob2Xml document with MSXML too. Independent truth: the process's own list of loaded
 * modules (msxml6.dll), the credential blob's documented layout, the embedded authenticator.
 */
import * as assert from 'node:assert/strict';
import { authenticate, createAuthenticator } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import {
  buildConfigXml, buildCredentialsXml, credentialBlobLayout, isEapError, ours,
} from '../support/eap-config-xml';
import { randomCredentials, windowsHostHooks } from './support';

function loadedModules(): string[] {
  const report = process.report.getReport() as unknown as { sharedObjects?: string[] };
  return (report.sharedObjects ?? []).map((p) => p.toLowerCase());
}

describe('configuration API on the windows backend (eappcfg.dll, MSXML 6)', function () {
  this.timeout(60_000);
  let host: EapHost;

  windowsHostHooks((opened) => { host = opened; });

  it('XML crosses the ABI as MSXML 6 documents: msxml6.dll is loaded and the round trip holds', async function () {
    const made = await host.configXml2Blob(buildConfigXml(26, []));
    assert.deepEqual(made.methodType, ours(26));
    assert.equal(made.config.length, 0);
    assert.ok(loadedModules().some((p) => p.endsWith('\\msxml6.dll')),
      `msxml6.dll is not among the loaded modules: ${loadedModules().filter((p) => /xml/.test(p)).join(', ')}`);
    const written = await host.configBlob2Xml(ours(26), made.config);
    assert.match(written, /<EapHostMethodConfig xmlns="urn:eaphost:config:1"/);
    assert.deepEqual((await host.configXml2Blob(written)).methodType, ours(26));
  });

  it('credentials XML → blob equals the documented layout, non-ASCII included', async function () {
    for (const [identity, password] of [['alice', 'correct horse battery staple'], ['zoë@例え.jp', 'pä55 🔑']]) {
      const made = await host.credentialsXml2Blob(buildCredentialsXml(4, identity, password), Buffer.alloc(0));
      assert.deepEqual(made.methodType, ours(4));
      assert.equal(made.credentials.toString('hex'), credentialBlobLayout(identity, password).toString('hex'));
    }
  });

  it('an EAP-MSCHAPv2 session begun from XML-made blobs authenticates against the embedded authenticator', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      const { config } = await host.configXml2Blob(buildConfigXml(26, []));
      const { credentials } = await host.credentialsXml2Blob(buildCredentialsXml(26, identity, password), config);
      const session = await host.beginSession({ method: 'mschapv2', connectionData: config, userData: credentials });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
      assert.equal(result.method, 26);
    } finally {
      await authenticator.close();
    }
  });

  it('MSXML refuses malformed and DTD documents; ours refuses wrong namespaces: all EapErrors', async function () {
    const good = buildConfigXml(26, []);
    for (const xml of [good.slice(0, 80), `<!DOCTYPE x [<!ENTITY e "y">]>${good}`,
      good.replace('urn:eaphost:config:1', 'urn:other'), '<EapHostConfig xmlns="urn:wrong"/>']) {
      await assert.rejects(host.configXml2Blob(xml), isEapError(13), xml.slice(0, 100));
    }
  });

  it('credential input fields round-trip to the same blob', async function () {
    const { identity, password } = randomCredentials();
    const fields = await host.queryCredentialInputFields(ours(26), Buffer.alloc(0));
    const blob = await host.queryUserBlobFromCredentialInputFields(ours(26), Buffer.alloc(0),
      fields.map((f) => ({ ...f, data: f.type === 0 ? identity : password })));
    assert.equal(blob.toString('hex'), credentialBlobLayout(identity, password).toString('hex'));
  });

  it('method properties come from the registered module', async function () {
    const properties = await host.getMethodProperties(ours(26));
    const named = new Map(properties.map((p) => [p.name, p.value]));
    assert.equal(named.get('mutualAuth'), true);
    assert.equal(named.get('keyDerivation'), true);
    assert.equal(named.get('tunnelMethod'), false);
  });

  it('the UI calls run on their own STA thread and are refused cleanly where there is no UI', async function () {
    const window = Buffer.alloc(8);
    await assert.rejects(host.invokeConfigUI(window, ours(26)), isEapError(50));
    await assert.rejects(host.invokeIdentityUI(0n, ours(26)), isEapError(50));
    await assert.rejects(host.invokeInteractiveUI(window, Buffer.from([1])), isEapError(50));
    // The host thread is still serving: a configuration call after them works.
    assert.equal((await host.configXml2Blob(buildConfigXml(6, []))).config.length, 0);
  });
});
