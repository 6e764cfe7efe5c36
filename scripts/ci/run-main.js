// How the CI scripts end when run as programs: main(argv)'s return value is the exit code; a
// thrown error's message goes to stderr with `failure` as the exit code (a RangeError, bad usage,
// with 2).
'use strict';

module.exports = function runMain(main, failure = 1) {
  try {
    process.exitCode = main(process.argv.slice(2)) ?? 0;
  } catch (error) {
    process.stderr.write(`${error && error.message}\n`);
    process.exitCode = error instanceof RangeError ? 2 : failure;
  }
};
