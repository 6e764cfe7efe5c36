/**
 * The RADIUS engine's step pool (native/radius/server/radius_step_pool.h) under steps that wait
 * on a slow OCSP responder, through the test-only stepPoolProbe (in a child process started with
 * EAPHOST_CONTRACT_PROBE=1): 64 EAP-TLS steps each say they wait (common/wait_notice.h, as the
 * OCSP question does) and wait until released or until the responder's deadline (3 s); one PEAP
 * step queued behind them all releases them when it runs. The judge is the order: the PEAP step
 * ran before any waiting step reached its deadline, on a pool of one thread and of two. Before
 * a step said it waited, the pool found each wait only after it had held a thread 50 ms, and the
 * PEAP step, behind 64 of them, ran once the pool's width had spent 64 x 50 ms on them: 3.2 s on
 * one thread, past the deadline (1.6 s on two: the slowest OCSP bystander of ocsp-bystanders).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runProbeScript } from '../support/probe-child';

const distLib = path.join(__dirname, '..', '..', 'lib');
/** As many as one kind of step may run at once (StepPool::kMaxPerKind). */
const WAITING = 64;
/** The OCSP responder's deadline (tls_ocsp_responder.h's kOcspResponderTimeoutMs). */
const DEADLINE_MS = 3000;

/** [the bystander ran, waiting steps that reached their deadline, waiting steps begun when it ran]. */
function probe(threads: number): [boolean, number, number] {
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    process.stdout.write(JSON.stringify(binding.stepPoolProbe({ threads: ${threads}, waiting: ${WAITING}, deadlineMs: ${DEADLINE_MS} })));`;
  return JSON.parse(runProbeScript(script)) as [boolean, number, number];
}

describe('the step pool: a PEAP step behind 64 EAP-TLS steps waiting on a slow OCSP responder', function () {
  this.timeout(60_000);

  for (const threads of [1, 2]) {
    it(`runs before any of them reaches the responder's deadline (${threads} step thread${threads === 1 ? '' : 's'})`, () => {
      const [ran, gaveUp, begun] = probe(threads);
      assert.equal(ran, true, 'the PEAP step ran');
      assert.equal(gaveUp, 0, `${gaveUp} waiting steps reached the responder's deadline before the PEAP step ran ` +
        `(${begun} of ${WAITING} had begun when it ran)`);
    });
  }
});
