import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The TEAP-capable eapol_test and hostapd built from Debian's wpa source package by
 * scripts/ci/teap-hostap.sh (Debian's own binaries lack CONFIG_EAP_TEAP). The script returns at
 * once when its cache holds them, and builds them otherwise; when it cannot, the test fails
 * with its words — TEAP interop tests never skip.
 */
export interface TeapHostap {
  eapolTest: string;
  hostapd: string;
}

let built: TeapHostap | undefined;

export function teapHostap(): TeapHostap {
  if (built) return built;
  const script = join(__dirname, '..', '..', '..', 'scripts', 'ci', 'teap-hostap.sh');
  let dir: string;
  try {
    dir = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 }).trim();
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`the TEAP-capable hostap could not be built (scripts/ci/teap-hostap.sh): ` +
      `${failure.stderr?.trim() || failure.message}`);
  }
  built = { eapolTest: join(dir, 'eapol_test'), hostapd: join(dir, 'hostapd') };
  return built;
}

/** hostapd.conf lines its 2.10 TEAP server needs: an A-ID, and the PAC key it parses with them. */
export const HOSTAPD_TEAP_CONFIG = [
  'pac_opaque_encr_key=000102030405060708090a0b0c0d0e0f',
  'eap_fast_a_id=101112131415161718191a1b1c1d1e1f',
  'eap_fast_a_id_info=eaphost-teap-test',
  'eap_teap_auth=0',
];
