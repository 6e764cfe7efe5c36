/**
 * A lane's floor on how many tests ran (a mocha root-hook plugin, loaded through each mocharc's
 * "require"). forbidOnly stops a committed `.only`; this stops what forbidOnly cannot see: a spec
 * glob that no longer matches, a `--grep` that matches nothing, a file that fails to register its
 * tests. A lane sets EAPHOST_LANE_MIN_TESTS to a count just under what it runs today; without it
 * (one file run by hand) nothing is checked.
 */

let testsRun = 0;

// A lane that promises a Node version (EAPHOST_LANE_NODE, the linux lane's: scripts/test-all.sh)
// runs on exactly it: a PATH that put another node first would pass the lane on the wrong one.
const laneNode = process.env.EAPHOST_LANE_NODE;
if (laneNode !== undefined && laneNode !== '' && process.version !== `v${laneNode}`) {
  throw new Error(`this lane runs on Node ${laneNode}, but mocha runs on ${process.version}`);
}

function laneMinimum(): number | undefined {
  const text = process.env.EAPHOST_LANE_MIN_TESTS;
  if (text === undefined || text === '') return undefined;
  const minimum = Number(text);
  if (!Number.isInteger(minimum) || minimum < 1) {
    throw new Error(`EAPHOST_LANE_MIN_TESTS must be a positive integer, not "${text}"`);
  }
  return minimum;
}

function shortfall(): string | undefined {
  const minimum = laneMinimum();
  if (minimum === undefined || testsRun >= minimum) return undefined;
  return `only ${testsRun} tests ran, this lane runs at least ${minimum} ` +
    '(a spec glob, a --grep or a test file stopped matching)';
}

// Mocha runs no root hook at all when no test is registered (a file that registers none, a --grep
// that matches none): afterAll below never runs then, and the process's end checks instead. Mocha
// sets the exit status from its own 'exit' listener, after this one: exiting here is what holds.
let checkedByMocha = false;
process.on('exit', () => {
  const why = checkedByMocha ? undefined : shortfall();
  if (why !== undefined) {
    process.stderr.write(`lane-minimum: ${why}\n`);
    process.exit(1);
  }
});

export const mochaHooks = {
  afterEach(): void {
    testsRun += 1;
  },
  afterAll(): void {
    checkedByMocha = true;
    const why = shortfall();
    if (why !== undefined) throw new Error(why);
  },
};
