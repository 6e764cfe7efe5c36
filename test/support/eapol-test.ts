import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uninstrumentedEnv } from './child-env';
import { findProgram, makeTempDir, runProgram, runProgramBlocking, RunResult } from './programs';

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
  method?: 'MD5' | 'GTC' | 'MSCHAPV2' | 'PEAP' | 'TTLS' | 'TLS' | 'TEAP';
  /** Another eapol_test binary (the TEAP-capable build, test/support/teap-hostap.ts). */
  program?: string;
  /** TEAP: the machine credential offered when the server asks for one (Identity-Type machine). */
  machineIdentity?: string;
  machinePassword?: string;
  /** TEAP: the machine credential's inner method and, for an inner EAP-TLS, its CA, certificate,
   *  key and key password (wpa_supplicant's machine_phase2, machine_ca_cert, machine_client_cert,
   *  machine_private_key, machine_private_key_passwd). */
  machinePhase2?: string;
  machineCaCert?: string;
  machineClientCert?: string;
  machinePrivateKey?: string;
  machinePrivateKeyPassword?: string;
  /** PEAP / TTLS: wpa_supplicant's phase2 string, e.g. "auth=MSCHAPV2" or "auth=PAP". */
  phase2?: string;
  /** TLS methods: wpa_supplicant's phase1 string, e.g. "peapver=0 crypto_binding=2" or "tls_disable_tlsv1_3=0". */
  phase1?: string;
  /** TLS methods: the TLS 1.2 cipher suites offered (wpa_supplicant's openssl_ciphers, an OpenSSL cipher string). */
  opensslCiphers?: string;
  /** TLS methods: the groups offered, in order (OpenSSL's Groups setting, e.g. "P-256:X25519"),
   *  through an OpenSSL configuration file of the run's own (OPENSSL_CONF): wpa_supplicant has no
   *  setting of its own for them. OpenSSL's TLS 1.3 ClientHello carries a key share for the first alone. */
  opensslGroups?: string;
  /** PEAP / TTLS / EAP-TLS: the outer identity (wpa_supplicant's anonymous_identity). */
  anonymousIdentity?: string;
  /** TLS methods: the largest TLS payload per EAP packet (wpa_supplicant's fragment_size; its default is 1398). */
  fragmentSize?: number;
  /** TLS methods: the CA file that must have issued the server's certificate. */
  caCert?: string;
  /** EAP-TLS: the client certificate and key files, and the key's password. */
  clientCert?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  /** An inner EAP-TLS (phase2 "auth=TLS"): its CA, client certificate, key and key password
   *  (wpa_supplicant's ca_cert2, client_cert2, private_key2, private_key2_passwd). */
  caCert2?: string;
  clientCert2?: string;
  privateKey2?: string;
  privateKey2Password?: string;
  /** TLS methods: 1 asks for the server's stapled OCSP response and refuses a revoked one, 2 also
   *  refuses a server that staples none (wpa_supplicant's ocsp). */
  ocsp?: 1 | 2;
  /** TLS methods: the server certificate must name exactly this (wpa_supplicant's domain_match). */
  serverName?: string;
  /** Re-authentications after the first (eapol_test -r N): the same supplicant, so a TLS
   *  method may resume its session. */
  reauthentications?: number;
  /** Seconds before eapol_test gives up. Default 5. */
  timeoutSeconds?: number;
  /** Ask for the server's EAP-Key-Name (eapol_test -e): eapol_test then compares it with the
   *  Session-Id it derived and says whether they match. */
  requestKeyName?: boolean;
  /** Attributes of every Access-Request beside eapol_test's own (its -N ID:FORMAT:VALUE, FORMAT s, d or x). */
  attributes?: string[];
}

export interface EapolTestResult extends RunResult {
  success: boolean;
  /** eapol_test's own comparison of its MSK with the MS-MPPE keys of the Access-Accept:
   *  its "MPPE keys OK: N  mismatch: M" line, when it printed one. */
  mppeKeysOk?: number;
  mppeKeysMismatch?: number;
}

/**
 * A string field of wpa_supplicant's configuration. Its quoted form takes the bytes between the
 * quotes as they are (no escapes), so a value holding a quote, a backslash or a control
 * character goes in its hex form, which every string field also accepts.
 */
function wpaString(value: string): string {
  return /^[^"\\\x00-\x1f]*$/.test(value) ? `"${value}"` : Buffer.from(value, 'utf8').toString('hex');
}

/** Methods that derive no MSK: eapol_test must be told (-n), or it reports FAILURE after a good EAP-Success. */
const WITHOUT_MSK = new Set(['MD5', 'GTC']);

interface EapolTestCommand {
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv | undefined;
  timeoutMs: number;
  dir: { path: string; remove(): void };
}

/** eapol_test's command line and its configuration file, in a temporary directory the caller removes. */
function eapolTestCommand(options: EapolTestOptions): EapolTestCommand {
  const program = options.program ?? findProgram(['eapol_test'], 'eapoltest');
  const method = options.method ?? 'MD5';
  const dir = makeTempDir('eapol-test');
  try {
    const config = join(dir.path, 'network.conf');
    writeFileSync(config, [
      'network={',
      '\tkey_mgmt=IEEE8021X',
      `\teap=${method}`,
      `\tidentity=${wpaString(options.identity)}`,
      `\tpassword=${wpaString(options.password)}`,
      '\teapol_flags=0',
      ...(options.phase2 ? [`\tphase2=${wpaString(options.phase2)}`] : []),
      ...(options.phase1 ? [`\tphase1=${wpaString(options.phase1)}`] : []),
      ...(options.opensslCiphers ? [`\topenssl_ciphers=${wpaString(options.opensslCiphers)}`] : []),
      ...(options.anonymousIdentity ? [`\tanonymous_identity=${wpaString(options.anonymousIdentity)}`] : []),
      ...(options.fragmentSize ? [`\tfragment_size=${options.fragmentSize}`] : []),
      ...(options.caCert ? [`\tca_cert=${wpaString(options.caCert)}`] : []),
      ...(options.clientCert ? [`\tclient_cert=${wpaString(options.clientCert)}`] : []),
      ...(options.privateKey ? [`\tprivate_key=${wpaString(options.privateKey)}`] : []),
      ...(options.privateKeyPassword ? [`\tprivate_key_passwd=${wpaString(options.privateKeyPassword)}`] : []),
      ...(options.serverName ? [`\tdomain_match=${wpaString(options.serverName)}`] : []),
      ...(options.caCert2 ? [`\tca_cert2=${wpaString(options.caCert2)}`] : []),
      ...(options.clientCert2 ? [`\tclient_cert2=${wpaString(options.clientCert2)}`] : []),
      ...(options.privateKey2 ? [`\tprivate_key2=${wpaString(options.privateKey2)}`] : []),
      ...(options.privateKey2Password ? [`\tprivate_key2_passwd=${wpaString(options.privateKey2Password)}`] : []),
      ...(options.ocsp ? [`\tocsp=${options.ocsp}`] : []),
      ...(options.machineIdentity ? [`\tmachine_identity=${wpaString(options.machineIdentity)}`] : []),
      ...(options.machinePassword ? [`\tmachine_password=${wpaString(options.machinePassword)}`] : []),
      ...(options.machinePhase2 ? [`\tmachine_phase2=${wpaString(options.machinePhase2)}`] : []),
      ...(options.machineCaCert ? [`\tmachine_ca_cert=${wpaString(options.machineCaCert)}`] : []),
      ...(options.machineClientCert ? [`\tmachine_client_cert=${wpaString(options.machineClientCert)}`] : []),
      ...(options.machinePrivateKey ? [`\tmachine_private_key=${wpaString(options.machinePrivateKey)}`] : []),
      ...(options.machinePrivateKeyPassword ? [`\tmachine_private_key_passwd=${wpaString(options.machinePrivateKeyPassword)}`] : []),
      // hostap's TEAP peer wants a PAC file name; one that does not exist is fine.
      ...(method === 'TEAP' ? [`\tpac_file=${wpaString(join(dir.path, 'teap.pac'))}`] : []),
      '}',
      '',
    ].join('\n'));
    let env: NodeJS.ProcessEnv | undefined;
    if (options.opensslGroups) {
      const opensslConf = join(dir.path, 'openssl.cnf');
      writeFileSync(opensslConf, ['openssl_conf = eapol_test', '[eapol_test]', 'ssl_conf = ssl', '[ssl]',
        'system_default = groups', '[groups]', `Groups = ${options.opensslGroups}`, ''].join('\n'));
      env = { ...uninstrumentedEnv(), OPENSSL_CONF: opensslConf };
    }
    const timeout = options.timeoutSeconds ?? 5;
    const args = [
      '-c', config, '-a', options.host, '-p', String(options.port), '-s', options.secret,
      ...(WITHOUT_MSK.has(method) ? ['-n'] : []), '-t', String(timeout),
      ...(options.reauthentications ? ['-r', String(options.reauthentications)] : []),
      ...(options.requestKeyName ? ['-e'] : []),
      ...(options.attributes ?? []).map((attribute) => `-N${attribute}`),
    ];
    return { program, args, env, timeoutMs: (timeout + 10) * 1000, dir };
  } catch (error) {
    dir.remove();
    throw error;
  }
}

function eapolTestResult(result: RunResult): EapolTestResult {
  const mppe = /^MPPE keys OK: (\d+)\s+mismatch: (\d+)$/m.exec(result.stdout);
  return {
    ...result,
    success: result.code === 0 && /^SUCCESS$/m.test(result.stdout),
    ...(mppe ? { mppeKeysOk: Number(mppe[1]), mppeKeysMismatch: Number(mppe[2]) } : {}),
  };
}

export async function runEapolTest(options: EapolTestOptions): Promise<EapolTestResult> {
  const { program, args, env, timeoutMs, dir } = eapolTestCommand(options);
  try {
    return eapolTestResult(await runProgram(program, args, { timeoutMs, env }));
  } finally {
    dir.remove();
  }
}

/** runEapolTest with this thread blocked until eapol_test exits: no turn of the event loop runs meanwhile. */
export function runEapolTestBlocking(options: EapolTestOptions): EapolTestResult {
  const { program, args, env, timeoutMs, dir } = eapolTestCommand(options);
  try {
    return eapolTestResult(runProgramBlocking(program, args, { timeoutMs, env }));
  } finally {
    dir.remove();
  }
}

export function runEapolTestMd5(options: Omit<EapolTestOptions, 'method'>): Promise<EapolTestResult> {
  return runEapolTest({ ...options, method: 'MD5' });
}

/** A hex dump eapol_test printed ("EAP-TLS: Derived key - hexdump(len=64): 8c 1f …"), as hex. */
export function eapolTestDump(run: EapolTestResult, what: string): string {
  const escaped = what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} - hexdump\\(len=\\d+\\): ([0-9a-f ]+)$`, 'm').exec(run.stdout);
  assert.ok(match, `eapol_test printed no "${what}" dump`);
  return match[1].replace(/ /g, '');
}

/** eapol_test's own MSK (its method's "Derived key") against the MS-MPPE keys it decrypted from the
 *  server's Access-Accept: Recv-Key the first 32 octets, Send-Key the last 32. */
export function assertDerivedKeyIsMppeKeys(name: string, run: EapolTestResult, method: 'TLS' | 'PEAP' | 'TTLS'): void {
  const msk = eapolTestDump(run, `EAP-${method}: Derived key`);
  assert.equal(msk.length, 128, name);
  assert.equal(eapolTestDump(run, 'MS-MPPE-Recv-Key (crypt)'), msk.slice(0, 64), name);
  assert.equal(eapolTestDump(run, 'MS-MPPE-Send-Key (sign)'), msk.slice(64), name);
}

/** wpa_supplicant's phase1 that leaves it TLS 1.3 alone. */
export const ONLY_TLS13 = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0';

/** What wpa_supplicant prints when a tunnel's first application data is RFC 9190's commitment
 *  message: TTLS says so, PEAP and TEAP show it as one decrypted octet 00. */
export const TUNNEL_COMMITMENT = /ACKing EAP-TLS Commitment Message|Decrypted Phase 2[^\n]* - hexdump\(len=1\): 00$/m;

/** An eapol_test run held to TLS 1.3: accepted, TLS 1.3 in its own log, "MPPE keys OK: 1", and
 *  (with `keyName`, for a run with requestKeyName) the server's EAP-Key-Name the Session-Id it derived. */
export function assertTls13Accepted(name: string, run: EapolTestResult, log: () => string, { keyName = true } = {}): void {
  assert.equal(run.success, true, `${name}:\n${run.stdout.slice(-4000)}\n${log().slice(-2000)}`);
  assert.match(run.stdout, /^SSL: Using TLS version TLSv1\.3$/m, `${name}: eapol_test negotiated TLS 1.3`);
  assert.doesNotMatch(run.stdout, /Using TLS version TLSv1\.[0-2]/, name);
  assert.equal(run.mppeKeysOk, 1, `${name}: eapol_test compared its MSK with our MS-MPPE keys`);
  assert.equal(run.mppeKeysMismatch, 0, name);
  if (!keyName) return;
  assert.match(run.stdout, /^Locally derived EAP Session-Id matches EAP-Key-Name from server$/m,
    `${name}: Session-Id\n${run.stdout.split('\n').filter((l) => /Session-Id|EAP-Key-Name/.test(l)).join('\n')}`);
}

/** The handshakes an RSA server key makes, each judged by eapol_test (OpenSSL) against a PEAP
 *  server at `target`: TLS 1.2's RSA key exchange (the server decrypts), ECDHE-RSA (it signs) and
 *  TLS 1.3 (it signs RSA-PSS); each accepted with "MPPE keys OK: 1", the suite or version named in
 *  eapol_test's own log. `log` is the server's, shown on a failure. */
export async function assertRsaKeyHandshakes(target: Omit<EapolTestOptions, 'phase1' | 'opensslCiphers'>,
  log: () => string): Promise<void> {
  const runs = {
    rsaKeyExchange: await runEapolTest({ ...target, phase1: 'tls_disable_tlsv1_3=1', opensslCiphers: 'AES128-GCM-SHA256' }),
    ecdheRsa: await runEapolTest({ ...target, phase1: 'tls_disable_tlsv1_3=1', opensslCiphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
    tls13: await runEapolTest({ ...target, phase1: ONLY_TLS13 }),
  };
  for (const [name, run] of Object.entries(runs)) {
    assert.equal(run.success, true, `${name}:\n${run.stdout.slice(-3000)}\n${log().slice(-2000)}`);
    assert.equal(run.mppeKeysOk, 1, name);
  }
  // TLS_RSA_WITH_AES_128_GCM_SHA256 is 0x009c, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 0xc02f (the IANA registry).
  assert.match(runs.rsaKeyExchange.stdout, /Server selected cipher suite 0x9c$/m);
  assert.match(runs.ecdheRsa.stdout, /Server selected cipher suite 0xc02f$/m);
  assert.match(runs.tls13.stdout, /Using TLS version TLSv1\.3/);
}
