import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram, makeTempDir, quoteConfigString, runProgram, RunResult } from './programs';

/**
 * wpa_supplicant's eapol_test: a supplicant and NAS in one program, the standard way to check a
 * RADIUS server's EAP. It exits 0 only when the authentication succeeded.
 */
export interface EapolTestOptions {
  host: string;
  port: number;
  secret: string;
  identity: string;
  password: string;
  /** Seconds before eapol_test gives up. Default 5. */
  timeoutSeconds?: number;
}

export interface EapolTestResult extends RunResult {
  success: boolean;
}

export async function runEapolTestMd5(options: EapolTestOptions): Promise<EapolTestResult> {
  const program = findProgram(['eapol_test'], 'eapoltest');
  const dir = makeTempDir('eapol-test');
  try {
    const config = join(dir.path, 'md5.conf');
    writeFileSync(config, [
      'network={',
      '\tkey_mgmt=IEEE8021X',
      '\teap=MD5',
      `\tidentity=${quoteConfigString(options.identity)}`,
      `\tpassword=${quoteConfigString(options.password)}`,
      '\teapol_flags=0',
      '}',
      '',
    ].join('\n'));
    const timeout = options.timeoutSeconds ?? 5;
    // -n: MD5 derives no MSK; without it eapol_test reports FAILURE after a good EAP-Success.
    const result = await runProgram(program, [
      '-c', config, '-a', options.host, '-p', String(options.port), '-s', options.secret, '-n', '-t', String(timeout),
    ], { timeoutMs: (timeout + 10) * 1000 });
    return { ...result, success: result.code === 0 && /^SUCCESS$/m.test(result.stdout) };
  } finally {
    dir.remove();
  }
}
