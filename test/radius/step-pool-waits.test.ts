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
 * Then the same steps one by one, each submitted once the one before has said it waits, as a
 * storm's conversations reach the OCSP question: the queue is empty as each says so, and the step
 * after it is queued while the lender waits for its next look. Before a queued step woke the
 * lender for a wait it had not yet stood in for, each of them waited up to 50 ms for that look,
 * and the PEAP step after the 64th ran 63 x 50 ms after the first began, past its deadline (the
 * slowest OCSP bystander's ~1.6 s when the pool's threads were taken one wait at a time).
 * And the order: queued at once behind the 64 while an EAP-TLS step holds each of the pool's
 * threads, the PEAP step is the next taken (kinds take turns), not the 65th. When the oldest step
 * of any kind went first, it started after all 64, and in a storm waited for a thread lent for each
 * of them in turn (20-50 ms each on a loaded machine: the rest of that bystander's ~1.6 s).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runProbeScript } from '../support/probe-child';

const distLib = path.join(__dirname, '..', '..', 'lib');
/** As many as one kind of step may run at once (StepPool::kMaxPerKind). */
const WAITING = 64;
/** The OCSP responder's deadline (tls_ocsp_responder.h's kOcspResponderTimeoutMs). */
const DEADLINE_MS = 3000;

/**
 * [the bystander ran, waiting steps that reached their deadline, waiting steps begun when it ran,
 * waiting steps started after it was queued and before it ran].
 */
function probe(threads: number, oneByOne: boolean): [boolean, number, number, number] {
  const args = { threads, waiting: WAITING, deadlineMs: DEADLINE_MS, oneByOne: oneByOne ? 1 : 0 };
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    process.stdout.write(JSON.stringify(binding.stepPoolProbe(${JSON.stringify(args)})));`;
  return JSON.parse(runProbeScript(script)) as [boolean, number, number, number];
}

describe('the step pool: a PEAP step behind 64 EAP-TLS steps waiting on a slow OCSP responder', function () {
  this.timeout(60_000);

  for (const [threads, oneByOne] of [[1, false], [2, false], [1, true], [2, true]] as const) {
    it(`runs before any of them reaches the responder's deadline (${threads} step thread${threads === 1 ? '' : 's'}` +
      `${oneByOne ? ', the steps arriving one by one' : ''})`, () => {
      const [ran, gaveUp, begun, overtook] = probe(threads, oneByOne);
      assert.equal(ran, true, 'the PEAP step ran');
      assert.equal(gaveUp, 0, `${gaveUp} waiting steps reached the responder's deadline before the PEAP step ran ` +
        `(${begun} of ${WAITING} had begun when it ran)`);
      // Taken next after it was queued; one more allowed for a step taken just before it was
      // queued whose thread had not yet started it.
      if (!oneByOne) assert.ok(overtook <= 1, `${overtook} waiting steps queued before the PEAP step started ahead of it`);
    });
  }
});
