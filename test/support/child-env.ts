/**
 * The environment for the system programs the interop tests start (FreeRADIUS, hostapd,
 * eapol_test, openssl): the test process's own, minus a sanitizer runtime preloaded for the
 * sanitizer lane. FreeRADIUS loads its modules with RTLD_DEEPBIND, which AddressSanitizer
 * refuses (the server exits at start-up); none of these programs is instrumented anyway.
 */
export function uninstrumentedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.EAPHOST_SANITIZER_PRELOAD !== undefined) {
    delete env.LD_PRELOAD;
    delete env.ASAN_OPTIONS;
    delete env.UBSAN_OPTIONS;
  }
  return env;
}
