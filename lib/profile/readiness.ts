/**
 * What a profile will meet on a Windows network soon, beside what a format cannot carry: the
 * inner MSCHAPv2 (or MS-CHAP) that a server checks against Active Directory through NTLM, which
 * Windows is disabling by default. The words are the audit's finding (lib/audit/findings.ts).
 */
import { FINDING_FACTS } from '../audit/findings';
import { NetworkProfile, ProfileEap, ProfileNote } from './network-profile';

/** The MSCHAPv2 (or MS-CHAP) an EAP configuration runs inside its tunnel, in words; undefined when none. */
function mschapInner(eap: ProfileEap): string | undefined {
  if (eap.method === 'ttls' && eap.phase2 !== 'eap') {
    const phase2 = eap.phase2 ?? 'mschapv2';
    return phase2 === 'mschapv2' || phase2 === 'mschap' ? `phase 2 ${phase2}` : undefined;
  }
  if (eap.method !== 'peap' && eap.method !== 'ttls' && eap.method !== 'teap') return undefined;
  const inner = [eap.innerMethod ?? 'mschapv2', ...(eap.teapSecondaryInnerMethod ? [eap.teapSecondaryInnerMethod] : [])];
  return inner.includes('mschapv2') ? 'the inner EAP-MSCHAPv2' : undefined;
}

/** One note per EAP configuration that needs MSCHAPv2: a readiness note, the profile stays as it is. */
export function readinessNotes(profile: NetworkProfile): ProfileNote[] {
  const { title, fix } = FINDING_FACTS['mschapv2-needs-ntlm'];
  return profile.eap.flatMap((eap, index) => {
    const inner = mschapInner(eap);
    return inner === undefined ? [] : [{ path: `eap[${index}]`, message: `${eap.method} with ${inner}: ${title}. ${fix}` }];
  });
}
