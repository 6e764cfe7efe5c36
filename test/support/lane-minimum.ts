/**
 * A lane's floor on how many tests ran (a mocha root-hook plugin, loaded through each mocharc's
 * "require"). forbidOnly stops a committed `.only`; this stops what forbidOnly cannot see: a spec
 * glob that no longer matches, a `--grep` that matches nothing, a file that fails to register its
 * tests. A lane sets EAPHOST_LANE_MIN_TESTS to a count just under what it runs today; without it
 * (one file run by hand) nothing is checked.
 */

let testsRun = 0;

function laneMinimum(): number | undefined {
  const text = process.env.EAPHOST_LANE_MIN_TESTS;
  if (text === undefined || text === '') return undefined;
  const minimum = Number(text);
  if (!Number.isInteger(minimum) || minimum < 1) {
    throw new Error(`EAPHOST_LANE_MIN_TESTS must be a positive integer, not "${text}"`);
  }
  return minimum;
}

export const mochaHooks = {
  afterEach(): void {
    testsRun += 1;
  },
  afterAll(): void {
    const minimum = laneMinimum();
    if (minimum !== undefined && testsRun < minimum) {
      throw new Error(`only ${testsRun} tests ran, this lane runs at least ${minimum} ` +
        '(a spec glob, a --grep or a test file stopped matching)');
    }
  },
};
