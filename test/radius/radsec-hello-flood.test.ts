import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';
import { bystanderAttempt, NAS_HANDSHAKE_TIMEOUT_MS, startHelloChurn } from '../support/radsec-hello-churn';

/**
 * `eaphost serve --radsec` under 300 connections a second from 1,000 /24s, each sending one real
 * ClientHello and never answering the server's flight (the flood of round 8's item 2, at the rate
 * that left every NAS that had not authenticated since serve started 0 of 24 handshakes), and a
 * NAS 100 ms away that has never authenticated: each of its handshakes, every one from a /24 the
 * server has never seen, must complete within radsecproxy's own handshake timeout (5 s: past it
 * that NAS gives up and the server is, for it, down), and its Status-Server must be answered.
 * The bound is the client's, not a speed: a handshake that takes longer did not happen.
 * bench/radsec-hello-churn.ts runs the same at 1,000 a second and reads serve's CPU: there the
 * figure holds only while serve gets about a quarter of a core, which a loaded test machine does
 * not promise, so the suite holds the rate the finding was made at.
 */
const HELLOS_PER_SECOND = 300;
const ATTEMPTS = 8;

describe('RadSec: a NAS that never authenticated, under 300 hello-only connections a second', function () {
  this.timeout(180_000);
  let pki: InteropPki;
  let serve: ServeProcess | undefined;
  let dir: { path: string; remove(): void } | undefined;
  before(async () => {
    dir = makeTempDir('radsec-hello-flood');
    pki = await makeInteropPki();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ u: { password: 'p' } }));
    serve = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--radsec', '--radsec-cert', pki.files.serverCert,
      '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
  });
  after(async () => {
    await serve?.stop();
    pki?.remove();
    dir?.remove();
  });

  it(`completes each of ${ATTEMPTS} handshakes within the NAS's own ${NAS_HANDSHAKE_TIMEOUT_MS} ms and is answered`, async () => {
    const churn = await startHelloChurn(serve!.port, HELLOS_PER_SECOND);
    const outcomes: string[] = [];
    let counts: { opened: number; answered: number };
    try {
      // The churn fills every slot, and its first connections stall.
      await new Promise((done) => setTimeout(done, 1500));
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        // A /24 of its own each time (in a /16 the churn does not use): never authenticated.
        const outcome = await bystanderAttempt(pki, serve!.port, `127.0.${attempt}.1`, attempt);
        outcomes.push(outcome.ok ? `ok: handshake ${Math.round(outcome.handshakeMs)} ms, answered at ${Math.round(outcome.totalMs)} ms`
          : `failed: ${outcome.reason}`);
      }
    } finally {
      counts = churn.stop();
    }
    const report = `${outcomes.join('\n')}\nthe churn opened ${counts.opened} connections, ${counts.answered} of them had a flight back`;
    // The flood was on throughout: its connections kept coming while the NAS tried.
    assert.ok(counts.opened >= HELLOS_PER_SECOND, report);
    assert.deepEqual(outcomes.filter((outcome) => !outcome.startsWith('ok')), [], report);
  });
});
