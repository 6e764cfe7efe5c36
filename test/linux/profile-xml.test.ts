/**
 * The profile writers against independent truth: an XML parser we did not write (Python's
 * expat) reads every document back, thumbprints come from `openssl x509 -fingerprint -sha1`,
 * and the element order is the one Microsoft's samples and schemas give (quoted per test).
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import {
  MicrosoftConfigOptions, certificateThumbprints, microsoftConfigXml, microsoftCredentialsXml,
} from '../../lib/profile/microsoft-config';
import { shippedConfigXml, shippedCredentialsXml } from '../../lib/profile/shipped-config';
import { checkXmlChars, xmlText } from '../../lib/profile/xml-text';
import { ParsedElement, child, childNames, parseXml } from '../support/xml-oracle';

const MS = 'http://www.microsoft.com/provisioning/';
const ns = (name: string) => MS + name;

function opensslSha1(pem: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-thumb-'));
  try {
    const file = path.join(dir, 'cert.pem');
    fs.writeFileSync(file, pem);
    const out = execFileSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    // "SHA1 Fingerprint=AB:CD:..." (the label's case differs between OpenSSL versions)
    return out.trim().split('=')[1].toLowerCase().split(':').join(' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function eapMethodOf(root: ParsedElement): Record<string, string> {
  const method = child(root, 'EapMethod');
  for (const c of method.children) assert.equal(c.ns, ns('EapCommon'), `${c.name} is in EapCommon`);
  return Object.fromEntries(method.children.map((c) => [c.name, c.text]));
}

describe('profile XML writers', () => {
  const ephemeral = processEphemeralCa();
  const client = ephemeral.issueClient('alice');

  describe("thumbprints (TrustedRootCA) equal OpenSSL's SHA-1 fingerprints", () => {
    it('for one CA and for every block of a bundle, in order', () => {
      assert.deepEqual(certificateThumbprints(ephemeral.ca), [opensslSha1(ephemeral.ca)]);
      const bundle = `${ephemeral.ca}\n${client.cert}`;
      assert.deepEqual(certificateThumbprints(bundle), [opensslSha1(ephemeral.ca), opensslSha1(client.cert)]);
      assert.match(certificateThumbprints(ephemeral.ca)[0], /^([0-9a-f]{2} ){19}[0-9a-f]{2}$/);
    });

    it('refuses text without a certificate and a block that is not X.509', () => {
      assert.throws(() => certificateThumbprints('not pem'), TypeError);
      assert.throws(() => certificateThumbprints('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), TypeError);
    });
  });

  describe("Windows' own PEAP (25, author 0)", () => {
    it('writes the elements in the order of Microsoft\'s "PEAP MS-CHAPv2 Connection Properties" sample', () => {
      // Sample order (MsPeapConnectionPropertiesV1 EapType): ServerValidation, FastReconnect,
      // InnerEapOptional, Eap (26), EnableQuarantineChecks, RequireCryptoBinding, PeapExtensions;
      // ServerValidation: DisableUserPromptForServerValidation, ServerNames, TrustedRootCA.
      const xml = microsoftConfigXml('peap', { ca: ephemeral.ca, serverName: ['radius.example.net', 'nps.example.net'] });
      const root = parseXml(xml);
      assert.equal(root.ns, ns('EapHostConfig'));
      assert.equal(root.name, 'EapHostConfig');
      assert.deepEqual(eapMethodOf(root), { Type: '25', VendorId: '0', VendorType: '0', AuthorId: '0' });
      const config = child(root, 'Config');
      assert.equal(config.ns, ns('EapHostConfig'));
      const eap = child(config, 'Eap');
      assert.equal(eap.ns, ns('BaseEapConnectionPropertiesV1'));
      assert.deepEqual(childNames(eap), [`{${ns('BaseEapConnectionPropertiesV1')}}Type`, `{${ns('MsPeapConnectionPropertiesV1')}}EapType`]);
      assert.equal(child(eap, 'Type').text, '25');
      const peap = child(eap, 'EapType');
      const v1 = ns('MsPeapConnectionPropertiesV1');
      assert.deepEqual(childNames(peap), [
        `{${v1}}ServerValidation`, `{${v1}}FastReconnect`, `{${v1}}InnerEapOptional`,
        `{${ns('BaseEapConnectionPropertiesV1')}}Eap`, `{${v1}}EnableQuarantineChecks`, `{${v1}}RequireCryptoBinding`,
        `{${v1}}PeapExtensions`,
      ]);
      const validation = child(peap, 'ServerValidation');
      assert.deepEqual(validation.children.map((c) => [c.name, c.text]), [
        ['DisableUserPromptForServerValidation', 'true'],
        ['ServerNames', 'radius.example.net;nps.example.net'],
        ['TrustedRootCA', opensslSha1(ephemeral.ca)],
      ]);
      const inner = child(peap, 'Eap');
      assert.equal(child(inner, 'Type').text, '26');
      const mschap = child(inner, 'EapType');
      assert.equal(mschap.ns, ns('MsChapV2ConnectionPropertiesV1'));
      assert.equal(child(mschap, 'UseWinLogonCredentials').text, 'false');
      // PeapExtensionsType (V2 namespace): PerformServerValidation, AcceptServerName.
      const extensions = child(peap, 'PeapExtensions');
      assert.deepEqual(extensions.children.map((c) => [c.ns, c.name, c.text]), [
        [ns('MsPeapConnectionPropertiesV2'), 'PerformServerValidation', 'true'],
        [ns('MsPeapConnectionPropertiesV2'), 'AcceptServerName', 'true'],
      ]);
    });

    it('turns validation off only when asked (insecure), and refuses a peer that trusts nothing', () => {
      const root = parseXml(microsoftConfigXml('peap', { insecure: true }));
      const peap = child(child(child(root, 'Config'), 'Eap'), 'EapType');
      assert.equal(child(child(peap, 'PeapExtensions'), 'PerformServerValidation').text, 'false');
      assert.equal(child(peap, 'ServerValidation').children.some((c) => c.name === 'TrustedRootCA'), false);
      assert.throws(() => microsoftConfigXml('peap', {}), /no trusted CA configured/);
      assert.throws(() => microsoftConfigXml('peap', { ca: ephemeral.ca, insecure: true }), TypeError);
      assert.throws(() => microsoftConfigXml('peap', { insecure: true, serverName: 'x.example' }), TypeError);
      assert.throws(() => microsoftConfigXml('peap', { ca: ephemeral.ca, serverName: 'a;b' }), /';'/);
    });

    it('refuses the OCSP options with a TypeError that says what Windows does instead', () => {
      const given = (options: Record<string, unknown>) => () =>
        microsoftConfigXml('tls', { ca: ephemeral.ca, ...options } as MicrosoftConfigOptions);
      assert.throws(given({ ocsp: 'require' }),
        /^TypeError: ocsp does not apply to Windows' own tls method: Windows checks revocation itself, asking the OCSP responder .* no setting to request or require a stapled OCSP response/);
      for (const key of ['ocspResponse', 'ocspResponder']) {
        assert.throws(given({ [key]: '/x' }), new RegExp(`^TypeError: ${key} does not apply to Windows' own tls method: it configures an authenticator .*NPS`));
      }
    });

    it('writes the credentials as Microsoft\'s "PEAP MS-CHAPv2 User Properties" sample: Username, Password, LogonDomain', () => {
      const root = parseXml(microsoftCredentialsXml('peap', { identity: 'CORP\\alice', password: 'pw' }));
      assert.equal(root.ns, ns('EapHostUserCredentials'));
      assert.deepEqual(eapMethodOf(root), { Type: '25', VendorId: '0', VendorType: '0', AuthorId: '0' });
      const outer = child(child(root, 'Credentials'), 'Eap');
      assert.equal(outer.ns, ns('BaseEapUserPropertiesV1'));
      assert.equal(child(outer, 'Type').text, '25');
      const peap = child(outer, 'EapType');
      assert.equal(peap.ns, ns('MsPeapUserPropertiesV1'));
      const inner = child(peap, 'Eap');
      assert.equal(child(inner, 'Type').text, '26');
      const user = child(inner, 'EapType');
      assert.equal(user.ns, ns('MsChapV2UserPropertiesV1'));
      assert.deepEqual(user.children.map((c) => [c.name, c.text]),
        [['Username', 'alice'], ['Password', 'pw'], ['LogonDomain', 'CORP']]);
    });
  });

  describe("Windows' own EAP-TLS (13, author 0)", () => {
    it('writes CredentialsSource, ServerValidation, DifferentUsername, then the V2 validation switches', () => {
      // Order from the EapTlsConnectionPropertiesV1 EapType element and the "EAP-TLS Connection Properties" sample.
      const root = parseXml(microsoftConfigXml('tls', { ca: ephemeral.ca, serverName: 'radius.example.net' }));
      assert.deepEqual(eapMethodOf(root), { Type: '13', VendorId: '0', VendorType: '0', AuthorId: '0' });
      const tls = child(child(child(root, 'Config'), 'Eap'), 'EapType');
      const v1 = ns('EapTlsConnectionPropertiesV1');
      const v2 = ns('EapTlsConnectionPropertiesV2');
      assert.deepEqual(childNames(tls), [`{${v1}}CredentialsSource`, `{${v1}}ServerValidation`, `{${v1}}DifferentUsername`,
        `{${v2}}PerformServerValidation`, `{${v2}}AcceptServerName`]);
      assert.deepEqual(child(tls, 'ServerValidation').children.map((c) => [c.name, c.text]), [
        ['DisableUserPromptForServerValidation', 'true'], ['ServerNames', 'radius.example.net'],
        ['TrustedRootCA', opensslSha1(ephemeral.ca)]]);
      assert.throws(() => microsoftConfigXml('tls', { ca: ephemeral.ca, key: 'x' } as never), /certificate store/);
    });

    it('names the user certificate by its thumbprint (EapTlsUserPropertiesV1 Username, UserCert)', () => {
      const root = parseXml(microsoftCredentialsXml('tls', { identity: 'alice', cert: client.cert }));
      const user = child(child(child(root, 'Credentials'), 'Eap'), 'EapType');
      assert.equal(user.ns, ns('EapTlsUserPropertiesV1'));
      assert.deepEqual(user.children.map((c) => [c.name, c.text]), [['Username', 'alice'], ['UserCert', opensslSha1(client.cert)]]);
    });
  });

  describe("Windows' own EAP-TTLS (21, author 311)", () => {
    it('writes ServerValidation (ServerNames, TrustedRootCAHash, DisablePrompt), Phase2Authentication, Phase1Identity', () => {
      // Order from the EapTtlsConnectionPropertiesV1 TtlsConfig / ServerValidationParameters types
      // and the LAN profile template Windows' TtlsCfg.dll registers.
      const root = parseXml(microsoftConfigXml('ttls', { ca: ephemeral.ca, serverName: 'radius.example.net', phase2: 'pap',
        anonymousIdentity: 'anonymous@example.net' }));
      assert.deepEqual(eapMethodOf(root), { Type: '21', VendorId: '0', VendorType: '0', AuthorId: '311' });
      const ttls = child(child(root, 'Config'), 'EapTtls');
      assert.equal(ttls.ns, ns('EapTtlsConnectionPropertiesV1'));
      assert.deepEqual(ttls.children.map((c) => c.name), ['ServerValidation', 'Phase2Authentication', 'Phase1Identity']);
      assert.deepEqual(child(ttls, 'ServerValidation').children.map((c) => [c.name, c.text]), [
        ['ServerNames', 'radius.example.net'], ['TrustedRootCAHash', opensslSha1(ephemeral.ca)], ['DisablePrompt', 'true']]);
      assert.deepEqual(child(ttls, 'Phase2Authentication').children.map((c) => c.name), ['PAPAuthentication']);
      assert.deepEqual(child(ttls, 'Phase1Identity').children.map((c) => [c.name, c.text]),
        [['IdentityPrivacy', 'true'], ['AnonymousIdentity', 'anonymous@example.net']]);
      const mschapv2 = parseXml(microsoftConfigXml('ttls', { ca: ephemeral.ca }));
      assert.deepEqual(child(child(child(child(mschapv2, 'Config'), 'EapTtls'), 'Phase2Authentication'), 'MSCHAPv2Authentication')
        .children.map((c) => [c.name, c.text]), [['UseWinlogonCredentials', 'false']]);
      assert.throws(() => microsoftConfigXml('ttls', { insecure: true }), /prompting/);
    });

    it('writes the credentials as EapTtlsUserPropertiesV1 Username, Password', () => {
      const root = parseXml(microsoftCredentialsXml('ttls', { identity: 'alice', password: 's3cret' }));
      assert.deepEqual(eapMethodOf(root).AuthorId, '311');
      const user = child(child(root, 'Credentials'), 'EapTtls');
      assert.equal(user.ns, ns('EapTtlsUserPropertiesV1'));
      assert.deepEqual(user.children.map((c) => [c.name, c.text]), [['Username', 'alice'], ['Password', 's3cret']]);
    });
  });

  describe("Windows' own EAP-MSCHAPv2 (26, author 0)", () => {
    it('writes the "EAP MS-CHAPv2 Connection Properties" sample\'s elements and takes no TLS options', () => {
      const root = parseXml(microsoftConfigXml('mschapv2'));
      const eap = child(child(root, 'Config'), 'Eap');
      assert.equal(child(eap, 'Type').text, '26');
      assert.equal(child(child(eap, 'EapType'), 'UseWinLogonCredentials').text, 'false');
      assert.throws(() => microsoftConfigXml('mschapv2', { ca: ephemeral.ca }), TypeError);
      const user = child(child(child(parseXml(microsoftCredentialsXml('mschapv2', { identity: 'bob', password: 'x' })),
        'Credentials'), 'Eap'), 'EapType');
      assert.deepEqual(user.children.map((c) => [c.name, c.text]), [['Username', 'bob'], ['Password', 'x']]);
    });
  });

  describe('escaping', () => {
    const hostile = `a&b<c>d"e'f ]]> \u00e9\u{1F510}\t`;

    it('a parser reads back exactly the text written, markup characters included', () => {
      const user = child(child(child(parseXml(microsoftCredentialsXml('mschapv2', { identity: hostile, password: hostile + '\r\n' })),
        'Credentials'), 'Eap'), 'EapType');
      assert.equal(child(user, 'Username').text, hostile);
      assert.equal(child(user, 'Password').text, hostile + '\r\n');
      const ours = child(child(parseXml(shippedCredentialsXml('mschapv2', { identity: hostile, password: hostile })),
        'Credentials'), 'EapHostMethodCredentials');
      assert.equal(ours.ns, 'urn:eaphost:credentials:1');
      assert.deepEqual(ours.children.map((c) => [c.name, c.text]), [['Identity', hostile], ['Password', hostile]]);
    });

    it('refuses what XML 1.0 cannot carry with a TypeError', () => {
      for (const bad of ['a\u0000b', 'x\u0001', '\uD800', 'a\uDC00b', '\uFFFE']) {
        assert.throws(() => microsoftCredentialsXml('mschapv2', { identity: 'alice', password: bad }), TypeError, JSON.stringify(bad));
        assert.throws(() => xmlText(bad, 'value'), /XML 1\.0 cannot carry/);
      }
      assert.equal(checkXmlChars('\u{1F510}', 'pair'), '\u{1F510}', 'a surrogate pair is one valid character');
    });
  });

  describe('our methods (urn:eaphost:config:1)', () => {
    it('writes the contract\'s elements in its order under EapHostMethodConfig, with our author id', () => {
      const root = parseXml(shippedConfigXml('peap', { ca: ephemeral.ca, serverName: ['a.example', 'b.example'],
        requireCryptoBinding: true, tls: { min: '1.2', max: '1.3' }, innerMethod: 'mschapv2', anonymousIdentity: 'anon' }));
      assert.deepEqual(eapMethodOf(root), { Type: '25', VendorId: '0', VendorType: '0', AuthorId: '32473' });
      const config = child(child(root, 'Config'), 'EapHostMethodConfig');
      assert.equal(config.ns, 'urn:eaphost:config:1');
      assert.deepEqual(config.children.map((c) => c.name), ['Ca', 'ServerName', 'ServerName', 'RequireCryptoBinding', 'TlsMin',
        'TlsMax', 'InnerMethod', 'AnonymousIdentity']);
      assert.equal(child(config, 'Ca').text.trim(), ephemeral.ca.trim());
      assert.throws(() => shippedConfigXml('peap', {}), /no trusted CA/);
      assert.throws(() => shippedConfigXml('md5', { ca: ephemeral.ca }), TypeError);
      assert.deepEqual(child(child(parseXml(shippedConfigXml('mschapv2')), 'Config'), 'EapHostMethodConfig').children, []);
    });
  });
});
