/**
 * The EapHost service around a registration (`--restart-service`): EapHost reads the Methods key
 * when it starts, and Wired AutoConfig (dot3svc) depends on it, so stopping EapHost while a
 * dependent runs fails (1051). Stops the dependents that run, then EapHost; does the work (the
 * copy is then no longer held, once each stop says STOPPED); starts again exactly what it stopped, each in its own try, saying
 * which. A service that was stopped before stays stopped; a stop that fails starts again what was
 * already stopped and does not do the work; every failure to start again is reported after the
 * work's own result. Through the service control manager (binding.serviceControl), never a
 * program's text.
 */
import { RegistrationError } from '../core/errors';
import { binding } from '../native';

/** Where registration says what it did, line by line (the CLI passes its own writer). */
export type LineWriter = (line: string) => void;

export const EAPHOST_SERVICE = 'EapHost';
const SERVICE_STOPPED = 1;
const SERVICE_RUNNING = 4;
const TIMEOUT_MS = 60_000;
/** ERROR_DEPENDENT_SERVICES_RUNNING: a dependent started between the query and the stop. */
const ERROR_DEPENDENT_SERVICES_RUNNING = 1051;
/** ERROR_SERVICE_CANNOT_ACCEPT_CTRL: the service is starting or stopping right now. */
const ERROR_SERVICE_CANNOT_ACCEPT_CTRL = 1061;

type Control = typeof binding.serviceControl;
type Action = 'query' | 'stop' | 'start';

const win32Error = (error: unknown): number | undefined => (error as { win32Error?: number } | undefined)?.win32Error;

function control(call: Control, service: string, action: Action) {
  try {
    return call({ service, action, timeoutMs: TIMEOUT_MS });
  } catch (error) {
    if (win32Error(error) === 5) {
      throw new RegistrationError('needs-administrator', service, `${service}: access denied. Stopping and starting ` +
        'services needs an administrator: run from an elevated prompt (Run as administrator)');
    }
    throw error;
  }
}

/** How often a stop that returned before the service was STOPPED is asked again. */
const POLL_MS = 250;

const sleep = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/**
 * Stops `name` and returns once the service control manager says it is STOPPED: a stop that
 * comes back STOP_PENDING is queried again until then, for at most TIMEOUT_MS. Nothing is replaced
 * or started again while the service's process may still hold the method DLL.
 */
function stopAndWait(call: Control, name: string): void {
  let state = control(call, name, 'stop').state;
  const deadline = Date.now() + TIMEOUT_MS;
  while (state !== SERVICE_STOPPED) {
    if (Date.now() >= deadline) {
      throw new RegistrationError('service-restart', name, `${name} did not stop within ${TIMEOUT_MS} ms (it is in state ${state}, ` +
        `not stopped (${SERVICE_STOPPED})): nothing was replaced. Stop it (sc stop ${name}) and run this again`);
    }
    sleep(POLL_MS);
    state = control(call, name, 'query').state;
  }
}

const describe = (error: unknown): string => {
  const code = win32Error(error);
  return `${(error as Error)?.message ?? String(error)}${code === undefined ? '' : ` (Windows error ${code})`}`;
};

/**
 * Stops the running dependents of `service`, then `service` itself, pushing each onto `stopped`
 * as it stops (the caller starts them again). A 1051 or 1061 is retried once, after a new query:
 * a dependent may have started, or the service been between states, in the meantime.
 */
function stopAll(call: Control, out: LineWriter, service: string, stopped: string[]): void {
  for (let attempt = 0; ; attempt++) {
    const now = control(call, service, 'query');
    for (const dependent of now.dependents.filter((d) => d.state !== SERVICE_STOPPED && !stopped.includes(d.name))) {
      out(`stopping ${dependent.name}, which depends on ${service}`);
      stopAndWait(call, dependent.name);
      stopped.push(dependent.name);
    }
    if (now.state === SERVICE_STOPPED) return;
    try {
      out(`stopping ${service}`);
      stopAndWait(call, service);
      stopped.push(service);
      return;
    } catch (error) {
      const code = win32Error(error);
      if (attempt > 0 || (code !== ERROR_DEPENDENT_SERVICES_RUNNING && code !== ERROR_SERVICE_CANNOT_ACCEPT_CTRL)) throw error;
      out(`${service} did not stop (${describe(error)}): asking the service control manager again`);
    }
  }
}

/** Starts what `stopped` names, last stopped first, each in its own try; returns the failures. */
function startAgain(call: Control, out: LineWriter, stopped: readonly string[]): string[] {
  const failures: string[] = [];
  for (const name of [...stopped].reverse()) {
    out(`starting ${name} again`);
    try {
      const after = control(call, name, 'start');
      if (after.state !== SERVICE_RUNNING) failures.push(`${name} is in state ${after.state}, not running (${SERVICE_RUNNING})`);
    } catch (error) {
      failures.push(`${name} did not start: ${describe(error)}`);
    }
  }
  return failures;
}

/**
 * Starts `service` unless it runs (the GitHub Action's EapHost, Manual on GitHub's images: a
 * `--restart-service` that restarted nothing, or found it stopped, leaves it as it was). Returns its state.
 */
export function startIfStopped(out: LineWriter, service = EAPHOST_SERVICE, call: Control = binding.serviceControl.bind(binding)): number {
  const now = control(call, service, 'query');
  if (now.state === SERVICE_RUNNING) return now.state;
  out(`starting ${service}`);
  return control(call, service, 'start').state;
}

/**
 * The name among `keep` of a dependent of `service` that runs, or undefined: with one, a restart
 * would stop it (Wired AutoConfig carrying the machine's wired 802.1X link), and the caller asked not to.
 */
export function runningKept(keep: readonly string[], service = EAPHOST_SERVICE,
  call: Control = binding.serviceControl.bind(binding)): string | undefined {
  if (keep.length === 0) return undefined;
  const running = control(call, service, 'query').dependents.filter((d) => d.state !== SERVICE_STOPPED).map((d) => d.name);
  return running.find((name) => keep.some((kept) => kept.toLowerCase() === name.toLowerCase()));
}

/**
 * Runs `work` with `service` (EapHost) and its running dependents stopped, then starts again
 * what it stopped, and only that. When a stop fails, what was stopped starts again and the stop's
 * error is thrown, without the work. When the work throws, its error is thrown once everything
 * was started again; when it returns but something did not start again, every such failure is
 * said after the work's own output and one RegistrationError ('service-restart') names them all.
 * `call` is the addon's serviceControl (a test's recorder may stand in for it).
 */
export function withServiceRestarted<T>(out: LineWriter, work: () => T, service = EAPHOST_SERVICE,
  call: Control = binding.serviceControl.bind(binding)): T {
  const stopped: string[] = [];
  try {
    stopAll(call, out, service, stopped);
  } catch (error) {
    const failures = startAgain(call, out, stopped);
    for (const failure of failures) out(failure);
    throw error;
  }
  let result: T;
  try {
    result = work();
  } catch (error) {
    for (const failure of startAgain(call, out, stopped)) out(failure);
    throw error;
  }
  const failures = startAgain(call, out, stopped);
  if (failures.length > 0) {
    for (const failure of failures) out(failure);
    throw new RegistrationError('service-restart', service, `the work was done, but ${failures.length} service(s) ` +
      `did not start again: ${failures.join('; ')}. Start them (sc start NAME) or restart Windows`);
  }
  return result;
}
