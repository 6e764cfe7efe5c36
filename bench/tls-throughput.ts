/**
 * TLS methods' authentications per second, two measurements:
 *
 *  in-process  PEAP-MSCHAPv2 (or ttls / tls) through the public API: openEapHost session + the
 *              embedded authenticator (ephemeral certificate) + authenticate(), N in flight.
 *              Every authentication is a full TLS handshake: each session has a connection of
 *              its own and the authenticator keeps no sessions (tlsSessionLifetime 0), so the
 *              peer has nothing to resume (EAP-TLS would otherwise resume its TLS 1.3 ticket);
 *              the line counts resumed ones, which must stay 0. CPU time per authentication
 *              (every thread of the process) beside the rate: on a shared machine it moves less.
 *              Then two floors, measured in the same process right after, and the API rate
 *              divided by each:
 *                gnutlsHandshakeFloorPerSecond  GnuTLS's own full handshakes per second, both
 *                  ends on one thread over memory (eaphost_bench.node, off Windows): the same
 *                  GnuTLS, priority string, ephemeral CA and server certificate (ECDSA P-256),
 *                  hence the same version, group and cipher suite as the method's handshake
 *                  (the line prints what it negotiated), EAP-TLS's client certificate too; no
 *                  EAP, no certificate verification, no tickets, no keying material, no phase 2.
 *                  What the method's handshake cannot go below with this library.
 *                opensslCryptoFloorPerSecond  node:crypto (OpenSSL) doing only a handshake's
 *                  public-key work for both ends, timed in-process: X25519 key generation and
 *                  derivation on each side, one ECDSA P-256 signature and its verification
 *                  (two of each for EAP-TLS). No TLS library goes below it on this machine.
 *              apiOverGnutlsFloor and apiOverOpensslFloor are the API's rate over each floor;
 *              gnutlsCpuOverApiCpu compares CPU time per handshake with CPU time per
 *              authentication, which moves less than rates on a shared machine.
 *  loop        the C++ loop alone (no JS between steps, one conversation at a time): `--warm-up`
 *              authentications, then `--count` more, with the interop PKI's RSA 2048 server
 *              key (`--leaf-key ec-p256`: ECDSA P-256), as serve's benches use it. The run to
 *              read under callgrind: collect only the loop's thread function and take two runs
 *              of different counts, whose difference is what the extra handshakes cost
 *              (docs/benchmarks.md gives the commands); the authenticator's side is what
 *              AuthenticatorHost's calls cost, the peer's what EapHostPeer*'s do.
 *  radius      our RADIUS client's PEAP-MSCHAPv2 against FreeRADIUS (TLS 1.2, certificates
 *              made for the run), beside 8 eapol_test processes running in parallel against
 *              the same server in the same run. Target: at least 2x the eapol_test fleet.
 *
 *   node dist/bench/tls-throughput.js [in-process] [loop] [radius] [--method peap|ttls|tls]
 *        [--seconds 5] [--floor-seconds 3] [--in-flight 16] [--fleet 8] [--count 20] [--warm-up 5]
 *        [--leaf-key rsa|ec-p256]
 *
 * The C++ loop baseline (eaphost_bench.node through bench/conversation-loop.ts, as bench/method-throughput.js uses it) is
 * given the peer's and the authenticator's connection data as two extra arguments; a native
 * loop that does not pass them on cannot run a TLS method, and the line says so.
 */
import { diffieHellman, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { parseArgs } from 'node:util';
import { authenticate, createAuthenticator, openEapHost } from '../lib';
import { loadPeerMethod } from '../lib/session/peer-method';
import { authenticatorConnectionData, peerConnectionData } from '../lib/core/connection-data';
import { processEphemeralCa } from '../lib/core/ephemeral-ca';
import { runConversationLoop, runHandshakeFloor } from './conversation-loop';
import { RadiusClient, RadiusEapTransport } from '../lib/radius';
import { runEapolTest } from '../test/support/eapol-test';
import { startFreeRadius } from '../test/support/freeradius';
import { CLIENT_KEY_PASSWORD, SERVER_NAME, makeInteropPki } from '../test/support/interop-pki';

const IDENTITY = 'bench';
const PASSWORD = 'bench-password';
type Method = 'peap' | 'ttls' | 'tls';

async function inProcess(method: Method, seconds: number, inFlight: number): Promise<Record<string, unknown>> {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ methods: [method], users: { [IDENTITY]: { password: PASSWORD } },
    tlsSessionLifetime: 0 });
  const credentials = method === 'tls' ? processEphemeralCa().issueClient(IDENTITY) : { password: PASSWORD };
  // Each session has a new connectionId (beginSession's default); a resumed TLS session is
  // counted apart, so the figure says how many full handshakes it stands for.
  let resumed = 0;
  const one = async (): Promise<boolean> => {
    const session = await host.beginSession({ method, identity: IDENTITY, ...credentials, ...authenticator.trust,
      ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}) });
    try {
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      if (result.resumed) resumed++;
      return result.success;
    } finally {
      await session.endSession();
    }
  };
  for (let i = 0; i < 20; i++) if (!(await one())) throw new Error(`${method}: warm-up authentication failed`);
  let completed = 0;
  let failed = 0;
  resumed = 0;
  const deadline = Date.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (Date.now() < deadline) {
      if (await one()) completed++;
      else failed++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  await authenticator.close();
  await host.close();
  return { measurement: 'in-process public API', method, inFlight, completed, failed, resumed,
    seconds: Number(elapsed.toFixed(2)), authsPerSecond: Math.round(completed / elapsed),
    cpuMsPerAuth: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, completed)).toFixed(3)) };
}

/** The certificates a loop runs with: the server's, the CA that issued it, EAP-TLS's client's. */
interface LoopPki {
  ca: string;
  serverName: string;
  server: { cert: string; key: string };
  client?: { cert: string; key: string; keyPassword?: string };
}

function ephemeralPki(method: Method): LoopPki {
  const ephemeral = processEphemeralCa();
  return { ca: ephemeral.ca, serverName: ephemeral.serverName, server: ephemeral.server,
    ...(method === 'tls' ? { client: ephemeral.issueClient(IDENTITY) } : {}) };
}

/** The interop PKI's RSA 2048 (or P-256) certificates, as serve's benches use them. */
async function interopLoopPki(method: Method, leafKey: 'rsa' | 'ec-p256'): Promise<{ pki: LoopPki; remove(): void }> {
  const made = await makeInteropPki({ leafKey });
  return { remove: () => made.remove(), pki: { ca: made.ca, serverName: SERVER_NAME,
    server: { cert: made.serverCert, key: made.serverKey },
    ...(method === 'tls' ? { client: { cert: made.clientCert, key: made.clientKey, keyPassword: CLIENT_KEY_PASSWORD } } :
      {}) } };
}

/** The same conversations driven by the C++ loop on the host thread, no JS in between. */
async function nativeLoop(method: Method, total: number, apiRate: number, pki: LoopPki = ephemeralPki(method),
  warmUp = 0): Promise<Record<string, unknown>> {
  const peerData = peerConnectionData(method, { ca: pki.ca, serverName: pki.serverName, ...pki.client,
    ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}) });
  const authenticatorData = authenticatorConnectionData(method, { cert: pki.server.cert, key: pki.server.key,
    tlsSessionLifetime: 0, ...(method === 'tls' ? { ca: pki.ca } : {}) });
  const peer = await loadPeerMethod(method);
  const blob = await peer.userBlob(IDENTITY, PASSWORD);
  try {
    if (warmUp > 0) {
      await runConversationLoop({ method, count: warmUp, userBlob: blob, password: PASSWORD, peerConnectionData: peerData,
        authenticatorConnectionData: authenticatorData });
    }
    // CPU time as well as the rate: on a shared machine the rate moves with others' load, the
    // CPU time per authentication (both ends, every thread of the process) much less.
    const cpuBefore = process.cpuUsage();
    const result: { successes?: number; elapsedMs?: number; error?: Error } = await runConversationLoop({ method,
      count: total, userBlob: blob, password: PASSWORD, peerConnectionData: peerData,
      authenticatorConnectionData: authenticatorData }).catch((error: Error) => ({ error }));
    if (result.error || result.successes !== total) {
      return { measurement: 'C++ loop', method, note: 'not measured: benchConversations does not pass connection data on ' +
        '(it needs the peer connection data in EapHostPeerBeginSession and the authenticator configuration in ' +
        `AuthenticatorConfig.connectionData): ${result.error?.message ?? `${result.successes}/${total} succeeded`}` };
    }
    const cpu = process.cpuUsage(cpuBefore);
    const rate = total / ((result.elapsedMs as number) / 1000);
    return { measurement: 'C++ loop', method, authentications: total, authsPerSecond: Math.round(rate),
      cpuMsPerAuth: Number(((cpu.user + cpu.system) / 1000 / total).toFixed(3)),
      ...(apiRate > 0 ? { ratio: Number((apiRate / rate).toFixed(3)), target: '>= 0.5' } : {}) };
  } finally {
    peerData.fill(0);
    authenticatorData.fill(0);
    blob.fill(0);
    await peer.close();
  }
}

// The TLS engine's priority string for the defaults (tlsMin TLS 1.2, tlsMax TLS 1.3), as
// native/methods/tls/gnutls/tls_priorities.cc builds it: X25519 first.
const DEFAULT_PRIORITY = 'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2' +
  ':-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-SECP521R1:+GROUP-X448' +
  ':+GROUP-FFDHE2048:+GROUP-FFDHE3072:+GROUP-FFDHE4096:+GROUP-FFDHE6144:+GROUP-FFDHE8192';

/** GnuTLS's own handshake loop with the method's certificates and priorities, for `seconds`. */
async function gnutlsFloor(method: Method, seconds: number): Promise<{ perSecond: number; cpuMs: number;
  negotiated: string; gnutlsVersion: string }> {
  const ephemeral = processEphemeralCa();
  const client = method === 'tls' ? ephemeral.issueClient(IDENTITY) : undefined;
  const run = (count: number) => runHandshakeFloor({ serverCertificate: ephemeral.server.cert,
    serverKey: ephemeral.server.key, ca: ephemeral.ca, priority: DEFAULT_PRIORITY, serverName: ephemeral.serverName,
    ...(client ? { clientCertificate: client.cert, clientKey: client.key } : {}), count });
  const probe = await run(50);  // warm-up, and the count that fills `seconds`
  const count = Math.max(100, Math.round(probe.handshakes / (probe.elapsedMs / 1000) * seconds));
  const result = await run(count);
  return { perSecond: result.handshakes / (result.elapsedMs / 1000), cpuMs: result.cpuMs / result.handshakes,
    negotiated: result.negotiated, gnutlsVersion: result.gnutlsVersion };
}

/** A handshake's public-key operations through node:crypto (OpenSSL), both ends, for `seconds`. */
function opensslFloor(method: Method, seconds: number): { perSecond: number; cpuMs: number } {
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const client = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // What TLS 1.3's CertificateVerify signs: 64 spaces, the context string, the transcript hash.
  const signed = randomBytes(130);
  const one = (): void => {
    const serverShare = generateKeyPairSync('x25519');
    const clientShare = generateKeyPairSync('x25519');
    const a = diffieHellman({ privateKey: clientShare.privateKey, publicKey: serverShare.publicKey });
    const b = diffieHellman({ privateKey: serverShare.privateKey, publicKey: clientShare.publicKey });
    if (!a.equals(b)) throw new Error('X25519 shares differ');
    const signatures = method === 'tls' ? [server, client] : [server];
    for (const keys of signatures) {
      if (!verify('sha256', signed, keys.publicKey, sign('sha256', signed, keys.privateKey))) {
        throw new Error('ECDSA signature refused');
      }
    }
  };
  for (let i = 0; i < 50; i++) one();
  let count = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 20; i++) one();
    count += 20;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: count / elapsed, cpuMs: (cpu.user + cpu.system) / 1000 / count };
}

async function floors(method: Method, seconds: number, api: Record<string, unknown>, loop: Record<string, unknown>):
  Promise<Record<string, unknown>> {
  const apiRate = api.authsPerSecond as number;
  const line: Record<string, unknown> = { measurement: 'floors', method };
  try {
    const gnutls = await gnutlsFloor(method, seconds);
    Object.assign(line, { gnutlsHandshakeFloorPerSecond: Math.round(gnutls.perSecond),
      gnutlsCpuMsPerHandshake: Number(gnutls.cpuMs.toFixed(3)), negotiated: gnutls.negotiated,
      gnutlsVersion: gnutls.gnutlsVersion });
  } catch (error) {
    line.gnutlsHandshakeFloor = `not measured: ${(error as Error).message}`;
  }
  const openssl = opensslFloor(method, seconds);
  Object.assign(line, { opensslCryptoFloorPerSecond: Math.round(openssl.perSecond),
    opensslCpuMsPerHandshake: Number(openssl.cpuMs.toFixed(3)) });
  if (typeof line.gnutlsHandshakeFloorPerSecond === 'number') {
    line.apiOverGnutlsFloor = Number((apiRate / line.gnutlsHandshakeFloorPerSecond).toFixed(3));
    if (typeof loop.authsPerSecond === 'number') {
      line.loopOverGnutlsFloor = Number((loop.authsPerSecond / line.gnutlsHandshakeFloorPerSecond).toFixed(3));
    }
    line.gnutlsCpuOverApiCpu = Number(((line.gnutlsCpuMsPerHandshake as number) / (api.cpuMsPerAuth as number)).toFixed(3));
  }
  line.apiOverOpensslFloor = Number((apiRate / openssl.perSecond).toFixed(3));
  return line;
}

async function overRadius(seconds: number, inFlight: number, fleet: number): Promise<Record<string, unknown>[]> {
  const SECRET = 'bench-tls-secret';
  const users = Array.from({ length: 16 }, (_, i) => ({ identity: `bench${i}`, password: `pw-${i}` }));
  const pki = await makeInteropPki();
  const server = await startFreeRadius({
    secret: SECRET, users, tlsMaxVersion: '1.2',
    certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
  });
  try {
    const endpoint = { host: server.host, port: server.port, secret: SECRET };
    const host = await openEapHost();
    const client = new RadiusClient({ timeoutMs: 6000, tries: 3 });
    let completed = 0;
    let failed = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = Date.now();
    await Promise.all(Array.from({ length: inFlight }, async (_, index) => {
      for (let n = index; Date.now() < deadline; n += inFlight) {
        const user = users[n % users.length];
        const session = await host.beginSession({ method: 'peap', identity: user.identity, password: user.password,
          ca: pki.ca, serverName: SERVER_NAME });
        try {
          const result = await authenticate({ session, transport: new RadiusEapTransport({ server: endpoint, client }) });
          if (result.success && result.mppeKeysMatch) completed++;
          else failed++;
        } finally {
          await session.endSession();
        }
      }
    }));
    const ours = completed / ((Date.now() - started) / 1000);
    await client.close();
    await host.close();

    // The fleet: `fleet` eapol_test processes at once, each starting the next run when one ends.
    let fleetOk = 0;
    let fleetFailed = 0;
    const fleetDeadline = Date.now() + seconds * 1000;
    const fleetStarted = Date.now();
    await Promise.all(Array.from({ length: fleet }, async (_, index) => {
      for (let n = index; Date.now() < fleetDeadline; n += fleet) {
        const user = users[n % users.length];
        const run = await runEapolTest({ ...endpoint, ...user, method: 'PEAP', phase2: 'auth=MSCHAPV2', caCert: pki.files.ca,
          serverName: SERVER_NAME, timeoutSeconds: 10 });
        if (run.success && run.mppeKeysOk === 1) fleetOk++;
        else fleetFailed++;
      }
    }));
    const eapol = fleetOk / ((Date.now() - fleetStarted) / 1000);
    return [
      { measurement: 'eaphost RADIUS client vs FreeRADIUS', method: 'peap', inFlight, completed, failed,
        authsPerSecond: Math.round(ours) },
      { measurement: `eapol_test fleet (${fleet} processes) vs FreeRADIUS`, method: 'PEAP', completed: fleetOk,
        failed: fleetFailed, authsPerSecond: Number(eapol.toFixed(1)) },
      { ratio: Number((ours / eapol).toFixed(2)), target: '>= 2' },
    ];
  } finally {
    await server.stop();
    pki.remove();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    method: { type: 'string', default: 'peap' }, seconds: { type: 'string', default: '5' },
    'floor-seconds': { type: 'string', default: '3' },
    'in-flight': { type: 'string', default: '16' }, fleet: { type: 'string', default: '8' },
    count: { type: 'string', default: '20' }, 'warm-up': { type: 'string', default: '5' },
    'leaf-key': { type: 'string', default: 'rsa' },
  } });
  const method = values.method as Method;
  if (!['peap', 'ttls', 'tls'].includes(method)) throw new Error('--method must be peap, ttls or tls');
  const parts = positionals.length ? positionals : ['in-process', 'radius'];
  const seconds = Number(values.seconds);
  const inFlight = Number(values['in-flight']);
  if (parts.includes('in-process')) {
    const api = await inProcess(method, seconds, inFlight);
    console.log(JSON.stringify(api));
    const total = Math.max(100, Math.round((api.authsPerSecond as number) * seconds));
    const loop = await nativeLoop(method, total, api.authsPerSecond as number);
    console.log(JSON.stringify(loop));
    console.log(JSON.stringify(await floors(method, Number(values['floor-seconds']), api, loop)));
  }
  if (parts.includes('loop')) {
    const leafKey = values['leaf-key'];
    if (leafKey !== 'rsa' && leafKey !== 'ec-p256') throw new Error('--leaf-key is rsa or ec-p256');
    const made = await interopLoopPki(method, leafKey);
    try {
      console.log(JSON.stringify({ ...await nativeLoop(method, Number(values.count), 0, made.pki, Number(values['warm-up'])),
        leafKey }));
    } finally {
      made.remove();
    }
  }
  if (parts.includes('radius')) {
    for (const line of await overRadius(seconds, inFlight, Number(values.fleet))) console.log(JSON.stringify(line));
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
