// How the CI scripts end when run as programs: main(argv)'s return value (or what its promise
// settles with) is the exit code; a thrown error's message goes to stderr with `failure` as the
// exit code (a RangeError, bad usage, with 2).
'use strict';

module.exports = function runMain(main, failure = 1) {
  const fail = (error) => {
    process.stderr.write(`${error && error.message}\n`);
    process.exitCode = error instanceof RangeError ? 2 : failure;
  };
  try {
    const result = main(process.argv.slice(2));
    if (result && typeof result.then === 'function') result.then((code) => { process.exitCode = code ?? 0; }, fail);
    else process.exitCode = result ?? 0;
  } catch (error) {
    fail(error);
  }
};
