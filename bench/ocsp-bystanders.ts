/**
 * A PEAP user's wait while many EAP-TLS conversations wait on a slow OCSP responder.
 *
 *   node dist/bench/ocsp-bystanders.js [--waiting 200] [--hold-ms 2500] [--rounds 5]
 *
 * `serve --ocsp-responder` with EAP-TLS and PEAP, against a responder (a loopback HTTP server)
 * that takes `--hold-ms` over each question (then answers 503: serve cannot say, and refuses the
 * client, fail closed). `--waiting` eapol_test EAP-TLS runs with the same client certificate start
 * together (spawned by a child process); two PEAP-MSCHAPv2 users of eapol_test authenticate one run after another from before
 * the storm until it has ended, each timed by serve's own log (time=). Before one question was shared per
 * certificate, PEAP waited 2.4-4.8 s behind 100 waiting EAP-TLS and up to 14 s behind 200. The
 * figure is the PEAP times during the storm (median and slowest), with how many questions the
 * responder saw. No ratio: the bystander's time is the figure. `--rounds` storms run one after
 * another, each with a PKI, responder and serve of its own (nothing cached from the round before;
 * about 8 s a round on two loaded cores); the last line gives the slowest PEAP of each and the
 * load average (1 minute) at the start and the end, which the figure is read beside: the storm's
 * own eapol_test processes load two cores, and other work more.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runEapolTest } from '../test/support/eapol-test';
import { startEaphostServe } from '../test/support/eaphost-serve';
import { freeUdpPort } from '../test/support/programs';
import { REVOCATION_CLIENT_IDENTITY, REVOCATION_SERVER_NAME, makeRevocationPki } from '../test/support/revocation-pki';

const SECRET = 'bench-ocsp-bystanders';

/** The storm's child: `count` eapol_test runs with the options given, started together. */
const STORM = `
const [, modulePath, count, options] = process.argv;
const { runEapolTest } = require(modulePath);
Promise.allSettled(Array.from({ length: Number(count) }, () => runEapolTest(JSON.parse(options)))).then(() => undefined);
`;

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A responder (loopback HTTP) that takes `holdMs` over each question, then answers 503; it counts the questions. */
async function slowResponder(holdMs: number): Promise<{ url: string; questions(): number; close(): Promise<void> }> {
  let questions = 0;
  const responder = createServer((request, response) => {
    request.resume();
    ++questions;
    setTimeout(() => { if (!response.writableEnded) response.writeHead(503).end(); }, holdMs);
  });
  await new Promise<void>((done) => responder.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(responder.address() as AddressInfo).port}/`, questions: () => questions,
    close: () => new Promise<void>((done) => responder.close(() => done())) };
}

interface Round { peapRuns: number; peapFailed: number; medianMs: number; slowestMs: number; ocspQuestions: number; tlsEnded: number; stormSeconds: number }

/** One storm against a serve of its own (a fresh PKI, responder and serve: nothing cached from a round before). */
async function storm(waiting: number, holdMs: number): Promise<Round> {
  const pki = await makeRevocationPki();
  const responder = await slowResponder(holdMs);
  const user = { identity: `peap-${randomBytes(4).toString('hex')}`, password: randomBytes(9).toString('base64url') };
  writeFileSync(join(pki.dir, 'bench-users.json'), JSON.stringify({ [user.identity]: { password: user.password } }));
  const port = await freeUdpPort();
  const serve = await startEaphostServe(port, ['--secret', SECRET, '--users', join(pki.dir, 'bench-users.json'),
    '--methods', 'tls,peap', '--cert', pki.server.good.certFile, '--key', pki.server.good.keyFile, '--ca', pki.caFile,
    '--ocsp-responder', responder.url, '--log']);
  const peapMs: number[] = [];
  let peapFailed = 0;
  let stormOver = false;
  const peapOnce = async () => {
    const peap = await runEapolTest({
      host: '127.0.0.1', port, secret: SECRET, method: 'PEAP', identity: user.identity, password: user.password,
      phase2: 'auth=MSCHAPV2', caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, timeoutSeconds: 60,
    });
    if (!peap.success) ++peapFailed;
  };
  try {
    await peapOnce();  // warm: the server's certificate and keys loaded
    // Two PEAP users, each one authentication after another, for as long as the storm lasts.
    const probers = [0, 1].map(async () => { while (!stormOver) await peapOnce(); });
    const started = Date.now();
    // The EAP-TLS runs are spawned by a child of their own: spawning is synchronous, and in this
    // process it held up the PEAP runs' output pipes (eapol_test blocks writing to a full pipe),
    // which serve's time= counted as PEAP's wait.
    const tlsOptions = {
      host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: REVOCATION_CLIENT_IDENTITY, password: '',
      caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, clientCert: pki.client.good.certFile,
      privateKey: pki.client.good.keyFile, timeoutSeconds: 60,
    };
    const child = spawn(process.execPath, ['-e', STORM, join(__dirname, '..', 'test', 'support', 'eapol-test'), String(waiting),
      JSON.stringify(tlsOptions)], { stdio: 'inherit' });
    await new Promise<void>((done) => child.on('close', () => done()));
    stormOver = true;
    await Promise.all(probers);
    const log = serve.output();
    for (const match of log.matchAll(/ method=peap outcome=accept .*time=(\d+)ms/g)) peapMs.push(Number(match[1]));
    peapMs.shift();  // the warm-up run
    return { peapRuns: peapMs.length, peapFailed, medianMs: median(peapMs), slowestMs: Math.max(...peapMs),
      ocspQuestions: responder.questions(), tlsEnded: (log.match(/ method=tls outcome=/g) ?? []).length,
      stormSeconds: Number(((Date.now() - started) / 1000).toFixed(1)) };
  } finally {
    stormOver = true;
    await responder.close();
    await serve.stop();
    pki.remove();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { waiting: { type: 'string', default: '200' }, 'hold-ms': { type: 'string', default: '2500' },
    rounds: { type: 'string', default: '5' } } });
  const waiting = Number(values.waiting);
  const holdMs = Number(values['hold-ms']);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(waiting) || waiting < 1 || !Number.isInteger(holdMs) || holdMs < 0 || !Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError('--waiting, --hold-ms and --rounds want whole numbers');
  }
  const began = Date.now();
  const loadAtStart = loadavg()[0];
  const measured: Round[] = [];
  for (let round = 0; round < rounds; round++) measured.push(await storm(waiting, holdMs));
  const loadAtEnd = loadavg()[0];
  process.stdout.write(`${waiting} EAP-TLS conversations on a responder taking ${holdMs} ms a question; ` +
    'PEAP-MSCHAPv2 meanwhile, by serve\'s time=:\n');
  console.table(measured);
  const seconds = (ms: number): string => (ms / 1000).toFixed(2);
  process.stdout.write(`slowest bystander PEAP: ${measured.map((round) => `${seconds(round.slowestMs)} s`).join(', ')} ` +
    `(median ${measured.map((round) => `${round.medianMs} ms`).join(', ')}; ${measured.reduce((n, round) => n + round.peapFailed, 0)} failed); ` +
    `load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end; ${((Date.now() - began) / 1000).toFixed(0)} s in all\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
