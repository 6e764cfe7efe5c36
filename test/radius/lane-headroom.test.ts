/**
 * When the RADIUS engine keeps a tunnel's handshake steps on its own thread rather than hand them
 * to a step thread (native/radius/server/radius_lane_headroom.h), through the test-only
 * laneHeadroomProbe (in a child process started with EAPHOST_CONTRACT_PROBE=1), fed quarter-second
 * windows of load: the lane thread's CPU and the step threads' on such steps, as percents of one
 * core, and the wall time of a step it kept. The rule: an idle lane keeps them; it stops keeping
 * once its own thread passes the threshold plus 15 points, and takes them back once both together
 * are below the threshold; a kept step that took 20 ms or more of wall time (a key in a smart card
 * or a TPM) stops it for 30 s; a threshold of 0 keeps none.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runProbeScript } from '../support/probe-child';

const distLib = path.join(__dirname, '..', '..', 'lib');

/** Whether the lane keeps such steps after each window: [lane %, step threads' %, kept step's ms]. */
function keeps(keepBelow: number, windows: [number, number, number][]): boolean[] {
  const args = { keepBelow, windows: windows.flat() };
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    process.stdout.write(JSON.stringify(binding.laneHeadroomProbe(${JSON.stringify(args)})));`;
  return JSON.parse(runProbeScript(script)) as boolean[];
}

describe('the RADIUS lane keeps handshake steps while it has room', function () {
  this.timeout(60_000);

  it('keeps them idle and under the threshold, up to the threshold plus 15 points of its own thread', () => {
    assert.deepEqual(keeps(70, [[0, 0, 0], [50, 0, 0], [84, 0, 0], [85, 0, 0]]), [true, true, true, false]);
  });

  it('once handing over, takes them back only when the lane and the step threads together are under the threshold', () => {
    // Handing over after 90 %; 20 % on the lane and 55 % on the step threads is 75 %: still over.
    assert.deepEqual(keeps(70, [[90, 0, 0], [20, 55, 0], [20, 49, 0], [20, 50, 0]]), [false, false, true, true]);
  });

  it('a kept step of 20 ms or more stops it for 30 s, whatever the load', () => {
    const quiet: [number, number, number] = [5, 0, 0];
    // 30 s is 120 windows of 250 ms; the slow step is in the first.
    const result = keeps(70, [[5, 0, 19], [5, 0, 20], ...Array.from({ length: 119 }, () => quiet), quiet]);
    assert.equal(result[0], true, 'a step of 19 ms changes nothing');
    assert.equal(result[1], false, 'a step of 20 ms stops it at once');
    assert.equal(result.slice(1, 120).every((kept) => !kept), true, 'and for 30 s');
    assert.equal(result[121], true, 'after which a quiet lane keeps them again');
  });

  it('a threshold of 0 keeps none, even idle', () => {
    assert.deepEqual(keeps(0, [[0, 0, 0], [0, 0, 0]]), [false, false]);
  });
});
