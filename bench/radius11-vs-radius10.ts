/**
 * RADIUS/1.1 (RFC 9765: a Token, no MD5) beside RADIUS/1.0 (MD5 authenticators, a hidden
 * User-Password, Message-Authenticator both ways) over RadSec TLS 1.3 with TLS-PSK, both against
 * `serve` (a RadiusServer listener in a child process, radiusVersion "auto"), in alternating rounds
 * of one run: PAP Access-Requests, `--in-flight` at once over one connection per round, for
 * `--seconds` each. Prints each round's requests per second and CPU per request of this process
 * (the client) and of the server's, then the medians' ratios. Target: RADIUS/1.1 at least 1.0x.
 *
 *   node dist/bench/radius11-vs-radius10.js [--seconds 3] [--rounds 5] [--in-flight 64]
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createAuthenticator } from '../lib';
import { RadiusServer, RadSecClient } from '../lib/radius';
import { RadiusAttributeType, RadiusCode } from '../lib/radius/constants';

const IDENTITY = 'nas1';
const USER = { name: 'bench', password: 'bench pass' };

type Cpu = { user: number; system: number };
const cpuMs = (from: Cpu, to: Cpu): number => (to.user - from.user + to.system - from.system) / 1000;

/** The child: a listener, its port sent up; asked for its CPU, it answers. */
async function serve(key: Buffer): Promise<void> {
  const authenticator = await createAuthenticator({ methods: ['md5'], users: { [USER.name]: { password: USER.password } } });
  const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
    radsec: { psk: [{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], radiusVersion: 'auto' } });
  const { port } = await server.listen();
  process.send?.({ port });
  process.on('message', (message: string) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (message === 'stop') void server.close().then(() => authenticator.close()).then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '3' }, rounds: { type: 'string', default: '5' }, 'in-flight': { type: 'string', default: '64' },
  } });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const inFlight = Number(values['in-flight']);
  const key = randomBytes(32);
  const child = fork(__filename, ['--serve'], { env: { ...process.env, BENCH_PSK: key.toString('hex') } });
  const next = <T>(field: string): Promise<T> => new Promise((resolve) => {
    const take = (message: Record<string, unknown>): void => {
      if (!(field in message)) return;
      child.off('message', take);
      resolve(message[field] as T);
    };
    child.on('message', take);
  });
  const port = await next<number>('port');
  const serverCpu = async (): Promise<Cpu> => {
    const answer = next<Cpu>('cpu');
    child.send('cpu');
    return answer;
  };
  const endpoint = { host: '127.0.0.1', port, secret: 'radsec' };
  const user = [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.name) }];
  const results: Record<'1.0' | '1.1', { rate: number; clientUs: number; serverUs: number }[]> = { '1.0': [], '1.1': [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const version of ['1.0', '1.1'] as const) {
        const client = new RadSecClient({ psk: { identity: IDENTITY, key }, radiusVersion: version, timeoutMs: 10_000, minVersion: 'TLSv1.3' });
        await client.statusServer(endpoint);
        let accepted = 0;
        let other = 0;
        const deadline = Date.now() + seconds * 1000;
        const clientFrom = process.cpuUsage();
        const serverFrom = await serverCpu();
        const started = process.hrtime.bigint();
        const worker = async (): Promise<void> => {
          while (Date.now() < deadline) {
            const { reply } = await client.accessRequest(endpoint, user, { userPassword: Buffer.from(USER.password) });
            if (reply.code === RadiusCode.AccessAccept) accepted++;
            else other++;
          }
        };
        await Promise.all(Array.from({ length: inFlight }, worker));
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        const clientMs = cpuMs(clientFrom, process.cpuUsage());
        const serverMs = cpuMs(serverFrom, await serverCpu());
        await client.close();
        if (other > 0) throw new Error(`RADIUS/${version}: ${other} answers were not Access-Accept`);
        const rate = accepted / elapsed;
        results[version].push({ rate, clientUs: (clientMs * 1000) / accepted, serverUs: (serverMs * 1000) / accepted });
        console.log(`round ${round + 1} RADIUS/${version}: ${accepted} Access-Accepts in ${elapsed.toFixed(2)} s: ${rate.toFixed(0)}/s, ` +
          `CPU per request client ${((clientMs * 1000) / accepted).toFixed(1)} µs, serve ${((serverMs * 1000) / accepted).toFixed(1)} µs`);
      }
    }
  } finally {
    child.send('stop');
  }
  const median = (list: number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const of = (version: '1.0' | '1.1', field: 'rate' | 'clientUs' | 'serverUs') => median(results[version].map((entry) => entry[field]));
  console.log(`medians: RADIUS/1.1 ${of('1.1', 'rate').toFixed(0)}/s, RADIUS/1.0 ${of('1.0', 'rate').toFixed(0)}/s: ` +
    `${(of('1.1', 'rate') / of('1.0', 'rate')).toFixed(2)}x (target >= 1.0x); CPU per request 1.0/1.1: client ` +
    `${(of('1.0', 'clientUs') / of('1.1', 'clientUs')).toFixed(2)}x, serve ${(of('1.0', 'serverUs') / of('1.1', 'serverUs')).toFixed(2)}x`);
}

if (process.argv.includes('--serve')) {
  void serve(Buffer.from(process.env.BENCH_PSK ?? '', 'hex'));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
