import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram, makeTempDir, quoteConfigString, runProgram, RunResult } from './programs';

/**
 * wpa_supplicant's eapol_test: a supplicant and NAS in one program, the standard way to check a
 * RADIUS server's EAP. It exits 0 only when the authentication succeeded and, for methods
 * that derive an MSK, only when the server's MPPE keys equal its own MSK.
 */
export interface EapolTestOptions {
  host: string;
  port: number;
  secret: string;
  identity: string;
  password: string;
  /** The EAP method eapol_test runs (its own names). Default MD5. */
  method?: 'MD5' | 'GTC' | 'MSCHAPV2';
  /** Seconds before eapol_test gives up. Default 5. */
  timeoutSeconds?: number;
}

export interface EapolTestResult extends RunResult {
  success: boolean;
  /** eapol_test's own comparison of its MSK with the MS-MPPE keys of the Access-Accept:
   *  its "MPPE keys OK: N  mismatch: M" line, when it printed one. */
  mppeKeysOk?: number;
  mppeKeysMismatch?: number;
}

/** Methods that derive no MSK: eapol_test must be told (-n), or it reports FAILURE after a good EAP-Success. */
const WITHOUT_MSK = new Set(['MD5', 'GTC']);

export async function runEapolTest(options: EapolTestOptions): Promise<EapolTestResult> {
  const program = findProgram(['eapol_test'], 'eapoltest');
  const method = options.method ?? 'MD5';
  const dir = makeTempDir('eapol-test');
  try {
    const config = join(dir.path, 'network.conf');
    writeFileSync(config, [
      'network={',
      '\tkey_mgmt=IEEE8021X',
      `\teap=${method}`,
      `\tidentity=${quoteConfigString(options.identity)}`,
      `\tpassword=${quoteConfigString(options.password)}`,
      '\teapol_flags=0',
      '}',
      '',
    ].join('\n'));
    const timeout = options.timeoutSeconds ?? 5;
    const result = await runProgram(program, [
      '-c', config, '-a', options.host, '-p', String(options.port), '-s', options.secret,
      ...(WITHOUT_MSK.has(method) ? ['-n'] : []), '-t', String(timeout),
    ], { timeoutMs: (timeout + 10) * 1000 });
    const mppe = /^MPPE keys OK: (\d+)\s+mismatch: (\d+)$/m.exec(result.stdout);
    return {
      ...result,
      success: result.code === 0 && /^SUCCESS$/m.test(result.stdout),
      ...(mppe ? { mppeKeysOk: Number(mppe[1]), mppeKeysMismatch: Number(mppe[2]) } : {}),
    };
  } finally {
    dir.remove();
  }
}

export function runEapolTestMd5(options: Omit<EapolTestOptions, 'method'>): Promise<EapolTestResult> {
  return runEapolTest({ ...options, method: 'MD5' });
}
