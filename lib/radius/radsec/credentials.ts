/**
 * RadSec's credentials, one set for both record layers: what an end proves itself with
 * (a certificate and its key, with the key's passphrase, or a TLS-PSK, RFC 9813) and what it
 * trusts (the CA; a listener's PSK clients and where each may come from). Checked and copied
 * into Buffers once, when the client or listener is made; then handed as they are to node:tls
 * (RadSec over TLS) and to the native DTLS end (RADIUS/DTLS, native/radius/dtls/), which parses
 * them with GnuTLS. The native end wipes the key copies it is given once loaded; wipe() wipes
 * the copies kept here once the client or server closed. The server checks a client applies are here too: the length
 * of the server's chain, the name and purpose of its certificate, and a PSK client's refusal of any certificate.
 */
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { ConnectionOptions, PeerCertificate, TlsOptions } from 'node:tls';
import type { RadiusDtlsConnectArgs, RadiusDtlsListenArgs } from '../../native';
import { chainLengthRefusal } from './chain-length';
import { checkRadSecPsk, RADSEC_CERT_AND_PSK_CIPHERS, RADSEC_PSK_CIPHERS, RadSecPskTable } from './psk';
import type { RadSecPsk, RadSecPskClient } from './psk';

/** A certificate, its key and passphrase, a CA: PEM, as strings or bytes. */
export interface RadSecCertificateOptions {
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  ca?: string | Buffer;
}

/** A server's certificate check, Node's checkServerIdentity contract: an Error refuses it. */
export type ServerCheck = (host: string, peer: PeerCertificate) => Error | undefined;

type DtlsCredentialArgs = Pick<RadiusDtlsConnectArgs, 'cert' | 'key' | 'passphrase' | 'ca' | 'pskIdentity' | 'pskKey'>;

const bytesOf = (value: string | Buffer | undefined): Buffer | undefined =>
  (value === undefined ? undefined : Buffer.from(value));

/** The errors our checks of a server's certificate refused it with. */
const identityRefusals = new WeakSet<Error>();

/** Whether `error` is our refusal of a server's certificate (its name, or a PSK server's certificate). */
export function isIdentityRefusal(error: Error): boolean {
  return identityRefusals.has(error);
}

function refusing(check: ServerCheck): ServerCheck {
  return (host, peer) => {
    const refused = check(host, peer);
    if (refused !== undefined) identityRefusals.add(refused);
    return refused;
  };
}

/** A RadSec client's credentials: a certificate, its key and the server's CA, or a PSK. */
export class RadSecClientCredentials {
  readonly psk: RadSecPsk | undefined;
  private readonly cert: Buffer | undefined;
  private readonly key: Buffer | undefined;
  private readonly passphrase: string | undefined;
  private readonly ca: Buffer | undefined;
  /** How the server's certificate is checked over either transport (run natively's verdict first over DTLS). */
  readonly checkServer: ServerCheck;

  /** A TypeError or RangeError says what is missing or wrong. */
  constructor(options: RadSecCertificateOptions & { psk?: RadSecPsk; allowCommonNameOnly?: boolean; naiRealm?: string }) {
    if (options.psk !== undefined) {
      checkRadSecPsk(options.psk);
      if (options.cert !== undefined || options.key !== undefined) throw new TypeError('RadSec takes a client cert or a psk, not both');
      this.psk = { identity: options.psk.identity, key: Buffer.from(options.psk.key) };
      // Node calls it after a TLS 1.2 PSK handshake too, with no certificate. A server that sent
      // one did not use our key: never one to trust by a CA instead.
      this.checkServer = refusing((_host, cert) => (cert?.raw === undefined ? undefined
        : new Error('the RadSec server answered with a certificate, not with our TLS-PSK')));
    } else {
      if (!options.cert || !options.key || !options.ca) throw new TypeError('RadSec needs a client cert, its key and a CA, or a psk');
      const allowCommonName = options.allowCommonNameOnly === true;
      const { naiRealm } = options;
      if (naiRealm !== undefined && (typeof naiRealm !== 'string' || naiRealm === '')) throw new TypeError('naiRealm must be a realm');
      this.checkServer = refusing((host, peer) => {
        // Node hands the verified path (getPeerCertificate(true)): one past RADIUS/DTLS's bound is refused as there.
        const tooLong = chainLengthRefusal(peer);
        if (tooLong !== undefined) return new Error(tooLong);
        const refused = serverIdentityError(host, peer, allowCommonName);
        if (refused === undefined || naiRealm === undefined) return refused;
        if (naiRealmCovers(peer, naiRealm)) return undefined;
        return new Error(`cert-refused: the RadSec server certificate names neither the SRV target ${host} nor the ` +
          `NAIRealm ${JSON.stringify(naiRealm)} (RFC 7585 §2.3): ${refused.message}`);
      });
    }
    this.cert = bytesOf(options.cert);
    this.key = bytesOf(options.key);
    this.passphrase = options.passphrase;
    this.ca = bytesOf(options.ca);
  }

  /** What the client offered, as a refusal names it. */
  get offered(): string {
    return this.psk ? 'our PSK' : 'our client certificate';
  }

  /** node:tls's connect options. */
  tls(): ConnectionOptions {
    const { psk, cert, key, passphrase, ca } = this;
    if (psk === undefined) return { cert, key, passphrase, ca, checkServerIdentity: this.checkServer };
    return { ca, ciphers: RADSEC_PSK_CIPHERS, pskCallback: () => ({ identity: psk.identity, psk: psk.key }),
      checkServerIdentity: this.checkServer };
  }

  /** The native DTLS end's: fresh copies of the secrets, which it wipes once loaded. */
  dtls(): DtlsCredentialArgs {
    const { psk, cert, key, passphrase, ca } = this;
    if (psk !== undefined) return { pskIdentity: psk.identity, pskKey: Buffer.from(psk.key) };
    return { cert, key: key && Buffer.from(key), passphrase, ca };
  }

  /** Zeroes the copies of the key and the PSK (the client closed). */
  wipe(): void {
    this.key?.fill(0);
    this.psk?.key.fill(0);
  }
}

/** A RadSec listener's: its certificate, key and the CA of its clients' certificates, and its
 *  PSK clients, any of them (certificates, PSK clients or both). */
export class RadSecServerCredentials {
  private readonly certificates: { cert: Buffer; key: Buffer; passphrase?: string; ca?: Buffer } | undefined;
  readonly pskTable: RadSecPskTable | undefined;

  /** A TypeError or RangeError says what is wrong, as a listener with neither certificates nor PSKs is. */
  constructor(options: RadSecCertificateOptions & { psk?: RadSecPskClient[] }) {
    if (options.psk === undefined) {
      if (!options.cert || !options.key || !options.ca) throw new TypeError('radsec needs cert, key and ca, or psk clients');
    } else {
      if ((options.cert === undefined) !== (options.key === undefined)) throw new TypeError('radsec.cert and radsec.key go together');
      if (options.ca !== undefined && options.cert === undefined) throw new TypeError('radsec.ca (client certificates) needs radsec.cert');
      this.pskTable = new RadSecPskTable(options.psk);
    }
    if (options.cert !== undefined && options.key !== undefined) {
      this.certificates = { cert: Buffer.from(options.cert), key: Buffer.from(options.key), passphrase: options.passphrase,
        ca: bytesOf(options.ca) };
    }
  }

  /** node:tls's server options: a client certificate demanded when there is a CA, and the PSK clients. */
  tls(): TlsOptions {
    const own = this.certificates;
    const table = this.pskTable;
    return {
      ...(own ? { cert: own.cert, key: own.key, passphrase: own.passphrase, ca: own.ca } : {}),
      // Where PSKs are taken, Node's own check of the client is off and the listener applies it (a
      // certificate that verified, or a handshake one of our keys authenticated): Node 24 refuses
      // every PSK session there (RadSecPskTable.proved says why).
      requestCert: own?.ca !== undefined, rejectUnauthorized: table === undefined, minVersion: 'TLSv1.2',
      ...(table ? { pskCallback: table.callback(), ciphers: own ? RADSEC_CERT_AND_PSK_CIPHERS : RADSEC_PSK_CIPHERS, honorCipherOrder: true } : {}),
    };
  }

  /**
   * `listen` given the native DTLS listener's credentials, copies it wipes once loaded (wiped here
   * too, whatever `listen` did). Certificate clients only with a CA to check them by; without
   * one, PSK clients alone.
   */
  dtls<T>(listen: (credentials: Pick<RadiusDtlsListenArgs, 'cert' | 'key' | 'passphrase' | 'ca' | 'psk'>) => T): T {
    const own = this.certificates?.ca !== undefined ? this.certificates : undefined;
    const key = own && Buffer.from(own.key);
    // One entry per network each identity may come from.
    const psk = this.pskTable?.entries();
    try {
      return listen({ ...(own ? { cert: own.cert, key, passphrase: own.passphrase, ca: own.ca } : {}), ...(psk ? { psk } : {}) });
    } finally {
      key?.fill(0);
      for (const entry of psk ?? []) entry.key.fill(0);
    }
  }

  /** Zeroes the key copies (the server closed). */
  wipe(): void {
    this.certificates?.key.fill(0);
    this.pskTable?.wipe();
  }
}

/** Whether the certificate's subjectAltName otherName NAIRealm (id-on-naiRealm, RFC 7585 §2.3)
 *  is the realm, or a "*." wildcard covering it. */
function naiRealmCovers(certificate: PeerCertificate, realm: string): boolean {
  const wanted = realm.toLowerCase();
  return (certificate.subjectaltname ?? '').split(', ').filter((entry) => entry.startsWith('othername:NAIRealm:'))
    .map((entry) => entry.slice(19).toLowerCase())
    .some((name) => name === wanted || (name.startsWith('*.') && wanted.endsWith(name.slice(1)) && wanted.length > name.length - 1));
}

/**
 * The server certificate's name per the RadSec revision §3.3.1: a DNS subjectAltName must match a
 * host name, an IP one an address (Node's check, RFC 6125). Node falls back to the CN when a
 * certificate has no DNS subjectAltName (even beside an IP one): that fallback is refused unless
 * allowed.
 */
function serverIdentityError(host: string, certificate: PeerCertificate, allowCommonName: boolean): Error | undefined {
  const names = (certificate.subjectaltname ?? '').split(', ');
  const dnsNames = names.filter((entry) => entry.startsWith('DNS:'));
  // RFC 7585's NAIRealm (id-on-naiRealm), read by Node as "othername:NAIRealm:<realm>": said in a refusal.
  const realms = names.filter((entry) => entry.startsWith('othername:NAIRealm:')).map((entry) => entry.slice(19));
  const realmNote = realms.length > 0 ? ` (its NAIRealm: ${realms.join(', ')})` : '';
  if (isIP(host) === 0 && dnsNames.length === 0 && !allowCommonName) {
    return new Error(`the RadSec server certificate has no DNS subjectAltName to match ${host}, only its CN ` +
      `${JSON.stringify(certificate.subject?.CN ?? '')}${realmNote}: a CN alone is accepted only when allowed (--radsec-allow-cn-only)`);
  }
  const refused = checkServerIdentity(host, certificate);
  if (refused !== undefined && realmNote !== '') refused.message += realmNote;
  return refused;
}
