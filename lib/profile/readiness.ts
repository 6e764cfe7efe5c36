/**
 * What a configuration will meet on a Windows network soon, beside what a format cannot carry:
 * the inner MSCHAPv2 (or MS-CHAP) that a server checks against Active Directory through NTLM,
 * which Windows is disabling by default, and an EAP-TLS client certificate not strongly mapped to
 * its account, or whose mapping cannot be checked here (a certificate of the Windows store, a
 * PKCS#12 that does not open or that this build cannot read). One wording for `eaphost profile`'s
 * notes and `eaphost audit`'s mschapv2-needs-ntlm, client-cert-weak-mapping and
 * client-cert-mapping-unchecked findings (lib/audit/findings.ts).
 */
import type { NetworkProfile, ProfileNote } from './network-profile';

export const MSCHAPV2_NEEDS_NTLM = {
  title: 'the inner method is MSCHAPv2, which against Active Directory rides on NTLM, and Windows is disabling NTLM by default',
  fix: 'Move the clients to EAP-TLS (a certificate per user or device) or TEAP before NTLM is turned off on the domain controllers.',
} as const;

export const CLIENT_CERT_MAPPING_UNCHECKED = {
  title: 'the EAP-TLS client certificate\'s mapping was not checked: NPS in enforcement mode refuses it without a strong one (reason code 16)',
  fix: 'Export the certificate as PEM and give it with --cert, or check yourself that it has the SID extension ' +
    '(1.3.6.1.4.1.311.25.2) or the subjectAltName URL tag:microsoft.com,2022-09-14:sid:<SID> (KB5014754).',
} as const;

/** Where a client certificate comes from that the mapping check cannot read: why, in words. */
export const UNCHECKED_CERTIFICATE = {
  pkcs12: 'cannot check mapping of a PKCS#12 certificate (only a PEM one is read): ' +
    'export it as PEM or check the SID extension 1.3.6.1.4.1.311.25.2 yourself',
  store: 'cannot check mapping of a store certificate: export it or check the SID extension 1.3.6.1.4.1.311.25.2 yourself',
} as const;

/** A client certificate's mapping: weak (the evidence), strong (neither member), or not checked (why). */
export interface ClientCertificateMapping {
  clientCertificateWeak?: string;
  clientCertificateUnchecked?: string;
}

/** How a PKCS#12 bundle's certificate is judged (lib/audit/certificates.ts pkcs12Mapping, which the caller passes). */
export type Pkcs12Judge = (pkcs12: Buffer, passphrase: string | undefined) => Promise<ClientCertificateMapping>;

export const CLIENT_CERT_WEAK_MAPPING = {
  title: 'the EAP-TLS client certificate is not strongly mapped: NPS in enforcement mode refuses it (reason code 16)',
  fix: 'Reissue the client certificate from an AD CS template that includes the SID extension (1.3.6.1.4.1.311.25.2), ' +
    'or add the subjectAltName URL tag:microsoft.com,2022-09-14:sid:<SID> of its account (KB5014754).',
} as const;

/** The inner methods of one EAP configuration, as a profile or a session's options name them. */
export interface InnerMethods {
  method: string;
  innerMethod?: string;
  teapSecondaryInnerMethod?: string;
  phase2?: string;
}

/** The MSCHAPv2 (or MS-CHAP) a configuration runs inside its tunnel, in words; undefined when none. */
export function mschapInner(eap: InnerMethods): string | undefined {
  if (eap.method === 'ttls' && eap.phase2 !== 'eap') {
    const phase2 = eap.phase2 ?? 'mschapv2';
    return phase2 === 'mschapv2' || phase2 === 'mschap' ? `phase 2 ${phase2}` : undefined;
  }
  if (eap.method !== 'peap' && eap.method !== 'ttls' && eap.method !== 'teap') return undefined;
  const inner = [eap.innerMethod ?? 'mschapv2', ...(eap.teapSecondaryInnerMethod ? [eap.teapSecondaryInnerMethod] : [])];
  return inner.includes('mschapv2') ? 'the inner EAP-MSCHAPv2' : undefined;
}

/** The note on a profile's client certificate (a PKCS#12): weak, or not checked (why); none when strongly mapped. */
async function clientCertificateNote(eap: NetworkProfile['eap'][number], path: string, judge: Pkcs12Judge): Promise<ProfileNote[]> {
  if (eap.clientCertificate === undefined) return [];
  const { pkcs12, passphrase } = eap.clientCertificate;
  const mapping = await judge(Buffer.from(pkcs12, 'base64'), passphrase);
  if (mapping.clientCertificateWeak !== undefined) {
    return [{ path, message: `${mapping.clientCertificateWeak}. ${CLIENT_CERT_WEAK_MAPPING.fix}` }];
  }
  if (mapping.clientCertificateUnchecked === undefined) return [];
  return [{ path, message: `${mapping.clientCertificateUnchecked}: NPS in enforcement mode refuses a certificate without a strong mapping (reason code 16)` }];
}

/**
 * One note per EAP configuration that needs MSCHAPv2, and one per client certificate (a PKCS#12)
 * that is not strongly mapped or whose mapping cannot be checked: readiness notes, the profile
 * stays as it is.
 */
export async function readinessNotes(profile: NetworkProfile, judge: Pkcs12Judge): Promise<ProfileNote[]> {
  const { title, fix } = MSCHAPV2_NEEDS_NTLM;
  const notes = await Promise.all(profile.eap.map(async (eap, index) => {
    const inner = mschapInner(eap);
    return [
      ...(inner === undefined ? [] : [{ path: `eap[${index}]`, message: `${eap.method} with ${inner}: ${title}. ${fix}` }]),
      ...await clientCertificateNote(eap, `eap[${index}].clientCertificate`, judge),
    ];
  }));
  return notes.flat();
}
