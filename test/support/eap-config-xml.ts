/**
 * Test-side writers of the configuration documents (EapHostConfig / EapHostUserCredentials with
 * our methods' elements, as the README documents them) and the credential blob's layout as
 * documented in native/methods/support/credential_blob.h, written out here independently.
 */
import { strict as assert } from 'assert';
import { EapError } from '../../lib';
import type { EapHost } from '../../lib';
import type { BuiltinMethodName } from '../../lib/session/builtin';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { randomCredentials } from '../helpers';

/** An assert.rejects predicate: an EapError, with this Win32 code and message when given. */
export function isEapError(win32Error?: number, pattern?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => e instanceof EapError && (win32Error === undefined || e.win32Error === win32Error) &&
    (pattern === undefined || pattern.test(e.message));
}

export const EAP_HOST_CONFIG_NS = 'http://www.microsoft.com/provisioning/EapHostConfig';
export const EAP_HOST_CREDENTIALS_NS = 'http://www.microsoft.com/provisioning/EapHostUserCredentials';
export const EAP_COMMON_NS = 'http://www.microsoft.com/provisioning/EapCommon';
export const EAPHOST_AUTHOR = 32473;

export function ours(type: number): { type: number; vendorId: number; vendorType: number; authorId: number } {
  return { type, vendorId: 0, vendorType: 0, authorId: EAPHOST_AUTHOR };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An EapHostConfig for one of our methods, its EapHostMethodConfig holding `elements` in order. */
export function buildConfigXml(type: number, elements: [string, string][]): string {
  const common = (name: string, value: number) => `<${name} xmlns="${EAP_COMMON_NS}">${value}</${name}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<EapHostConfig xmlns="${EAP_HOST_CONFIG_NS}">\n  <EapMethod>` +
    common('Type', type) + common('VendorId', 0) + common('VendorType', 0) + common('AuthorId', EAPHOST_AUTHOR) +
    `</EapMethod>\n  <Config xmlns="${EAP_HOST_CONFIG_NS}">\n    <EapHostMethodConfig xmlns="urn:eaphost:config:1">` +
    elements.map(([name, value]) => `\n      <${name}>${escapeXml(value)}</${name}>`).join('') +
    '\n    </EapHostMethodConfig>\n  </Config>\n</EapHostConfig>\n';
}

/** An EapHostUserCredentials in the prefixed style of Microsoft's samples. */
export function buildCredentialsXml(type: number, identity: string, password?: string): string {
  return `<EapHostUserCredentials xmlns="${EAP_HOST_CREDENTIALS_NS}" xmlns:eapCommon="${EAP_COMMON_NS}">` +
    `<EapMethod><eapCommon:Type>${type}</eapCommon:Type><eapCommon:AuthorId>${EAPHOST_AUTHOR}</eapCommon:AuthorId></EapMethod>` +
    '<Credentials><EapHostMethodCredentials xmlns="urn:eaphost:credentials:1">' +
    `<Identity>${escapeXml(identity)}</Identity>` +
    (password === undefined ? '' : `<Password>${escapeXml(password)}</Password>`) +
    '</EapHostMethodCredentials></Credentials></EapHostUserCredentials>';
}

/** "eMD5" | version 1 | user length (2, BE) | user | password length (2, BE) | password. */
export function credentialBlobLayout(identity: string, password: string): Buffer {
  const user = Buffer.from(identity, 'utf8');
  const secret = Buffer.from(password, 'utf8');
  const out = Buffer.alloc(9 + user.length + secret.length);
  out.write('eMD5', 0, 'latin1');
  out[4] = 1;
  out.writeUInt16BE(user.length, 5);
  user.copy(out, 7);
  out.writeUInt16BE(secret.length, 7 + user.length);
  secret.copy(out, 9 + user.length);
  return out;
}

/**
 * CredentialsXml2Blob of a random user's EapHostUserCredentials for the shipped method `name`
 * (EAP type `type`), each value wrapped in whitespace the host trims: the method type is ours,
 * and the blob equals both the documented layout and the method module's own userBlob.
 */
export async function assertCredentialsBlob(host: EapHost, name: BuiltinMethodName, type: number): Promise<void> {
  const { identity, password } = randomCredentials();
  const made = await host.credentialsXml2Blob(buildCredentialsXml(type, ` ${identity}\n`, `  ${password}\n`),
    Buffer.alloc(0));
  assert.deepEqual(made.methodType, ours(type));
  assert.equal(made.credentials.toString('hex'), credentialBlobLayout(identity, password).toString('hex'));
  const method = await loadPeerMethod(name);
  try {
    assert.equal(made.credentials.toString('hex'), (await method.userBlob(identity, password)).toString('hex'));
  } finally {
    await method.close();
  }
}

/**
 * Connection data version 1 of the TLS-based methods, byte by byte as its format is documented
 * (seam/connection_data.js; its table opens native/methods/support/generated/connection_data_format.h):
 * "eCFG", version 1, then Type (1) | Length (4, BE) | Value for each entry, in the order given. Written here from that description, apart from the
 * project's encoder (lib/core/connection-data.ts), so that the two can be compared.
 */
export function connectionDataLayout(entries: [number, Buffer | string][]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x65, 0x43, 0x46, 0x47, 0x01])];
  for (const [type, value] of entries) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const header = Buffer.alloc(5);
    header[0] = type;
    header.writeUInt32BE(bytes.length, 1);
    parts.push(header, bytes);
  }
  return Buffer.concat(parts);
}

/** The entry types of that layout, and the values of its fixed-size entries. */
export const LAYOUT = {
  ca: 1, serverName: 2, flags: 3, tlsMin: 4, tlsMax: 5, innerMethod: 6, phase2: 7, certificate: 8, privateKey: 9,
  privateKeyPassword: 10, anonymousIdentity: 11, pkcs12: 12, sessionLifetime: 13, ocsp: 16,
  flagInsecure: Buffer.from([0, 0, 0, 1]), flagRequireCryptoBinding: Buffer.from([0, 0, 0, 2]),
  tls12: Buffer.from([0x03, 0x03]), tls13: Buffer.from([0x03, 0x04]),
  mschapv2: Buffer.from([26]), gtc: Buffer.from([6]), md5: Buffer.from([4]),
  phase2Pap: Buffer.from([1]), phase2Eap: Buffer.from([5]),
} as const;

/** A PEM text as the layout holds it: its blocks, each line-terminated. */
export const pemEntry = (pem: string): string => `${pem.trim()}\n`;
