import { strict as assert } from 'node:assert';
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { EapolTestResult, ONLY_TLS13, runEapolTest } from './eapol-test';
import type { ServeProcess } from './eaphost-serve';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME } from './interop-pki';

/**
 * A stand-in for the load balancer in front of several `serve` instances: one loopback UDP
 * address a NAS (eapol_test) is pointed at, that passes each RADIUS datagram, unchanged, to the
 * instance it currently routes to, and the instance's answer back to the NAS. Once an
 * Access-Accept went back it routes to the next instance: the first authentication goes through
 * the first instance, the next one (eapol_test -r 1) through the second. It reads nothing of a
 * packet but its code; the NAS and the instances share the secret as they would behind a real
 * balancer.
 */
export interface RadiusRelay {
  port: number;
  /** The instance (index into the ports given) each request went to, in order. */
  routed: number[];
  close(): Promise<void>;
}

const ACCESS_ACCEPT = 2;

export async function startRadiusRelay(instancePorts: number[]): Promise<RadiusRelay> {
  const front: Socket = createSocket('udp4');
  const back: Socket = createSocket('udp4');
  const routed: number[] = [];
  let current = 0;
  let nas: RemoteInfo | undefined;
  front.on('message', (packet, from) => {
    nas = from;
    routed.push(current);
    back.send(packet, instancePorts[current], '127.0.0.1');
  });
  back.on('message', (packet) => {
    if (nas === undefined) return;
    front.send(packet, nas.port, nas.address);
    if (packet[0] === ACCESS_ACCEPT) current = Math.min(current + 1, instancePorts.length - 1);
  });
  const sockets = [front, back];
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))));
  return {
    port: front.address().port,
    routed,
    close: () => Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve())))).then(() => undefined),
  };
}

/** The users file, and the user PEAP authenticates as, of the two-instance runs. */
export const ROAMING_USER = { identity: 'rita', password: 'rita pa55' };

/**
 * eapol_test over TLS 1.3 through a relay in front of `instances` (the first, then the second):
 * EAP-TLS with the interop client certificate, or PEAP-MSCHAPv2 as ROAMING_USER, once and once
 * again (-r 1). What it printed, the instance each request went to, and a log for assertions.
 */
export async function eapolThroughTwo(instances: ServeProcess[], pki: InteropPki, secret: string, method: 'tls' | 'peap')
  : Promise<{ run: EapolTestResult; routed: number[]; log: string; handshakes: string }> {
  const relay = await startRadiusRelay(instances.map((instance) => instance.port));
  try {
    const target = { host: '127.0.0.1', port: relay.port, secret, caCert: pki.files.ca, serverName: SERVER_NAME,
      timeoutSeconds: 30, reauthentications: 1, phase1: ONLY_TLS13 };
    const run = method === 'tls'
      ? await runEapolTest({ ...target, method: 'TLS', identity: CLIENT_IDENTITY, password: '',
        clientCert: pki.files.clientCert, privateKey: pki.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD })
      : await runEapolTest({ ...target, method: 'PEAP', ...ROAMING_USER, phase2: 'auth=MSCHAPV2' });
    const log = `${method}:\n${run.stdout.slice(-4000)}\n` +
      instances.map((instance, i) => `instance ${i}:\n${instance.output().slice(-1500)}`).join('\n');
    // OpenSSL reports each handshake once or twice (TLS 1.3 also after the tickets).
    const handshakes = [...run.stdout.matchAll(/Handshake finished - resumed=(\d)/g)].map((m) => m[1]).join('');
    return { run, routed: relay.routed, log, handshakes };
  } finally {
    await relay.close();
  }
}

/** What an instance's --log said of `method`'s conversations: resumed yes or no, in order, once one was accepted. */
export async function resumedSaid(instance: ServeProcess, method: string): Promise<string[]> {
  await instance.logged(new RegExp(`method=${method}\\b.*outcome=accept.*resumed=(yes|no)`));
  return [...instance.output().matchAll(new RegExp(`method=${method}\\b.*resumed=(yes|no)`, 'g'))].map((m) => m[1]);
}

/**
 * Asserts what eapol_test says of a run through two instances: both authentications succeeded
 * over TLS 1.3 with MSKs equal to the keys each instance released ("MPPE keys OK: 2"), the first
 * went to the first instance and the second to the second, and the second handshake resumed the
 * first's session (`resumed`) or was a full one.
 */
export function assertThroughTwo({ run, routed, log, handshakes }: Awaited<ReturnType<typeof eapolThroughTwo>>, resumed: boolean): void {
  assert.equal(run.success, true, log);
  assert.equal(run.mppeKeysOk, 2, log);
  assert.equal(run.mppeKeysMismatch, 0, log);
  assert.match(run.stdout, /TLSv1\.3/, log);
  assert.equal(routed[0], 0, log);
  assert.equal(routed[routed.length - 1], 1, log);
  assert.match(handshakes, resumed ? /^0+1+$/ : /^0+$/, `${resumed ? 'full, then resumed' : 'never resumed'}\n${log}`);
}
