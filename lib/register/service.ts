/**
 * The EapHost service around a registration (`--restart-service`): EapHost reads the Methods key
 * when it starts, and Wired AutoConfig (dot3svc) depends on it, so stopping EapHost while a
 * dependent runs fails (1051). Stops the dependents that run, then EapHost; does the work (the
 * copy is then no longer held); starts EapHost and the dependents that ran, saying which. Through
 * the service control manager (binding.serviceControl), never a program's text.
 */
import { RegistrationError } from '../core/errors';
import { binding } from '../native';

/** Where registration says what it did, line by line (the CLI passes its own writer). */
export type LineWriter = (line: string) => void;

export const EAPHOST_SERVICE = 'EapHost';
const SERVICE_STOPPED = 1;
const SERVICE_RUNNING = 4;
const TIMEOUT_MS = 60_000;

type Control = typeof binding.serviceControl;

function control(call: Control, service: string, action: 'query' | 'stop' | 'start') {
  try {
    return call({ service, action, timeoutMs: TIMEOUT_MS });
  } catch (error) {
    if ((error as { win32Error?: number }).win32Error === 5) {
      throw new RegistrationError('needs-administrator', service, `${service}: access denied. Stopping and starting ` +
        'services needs an administrator: run from an elevated prompt (Run as administrator)');
    }
    throw error;
  }
}

/**
 * Runs `work` with EapHost and its running dependents stopped, then starts EapHost and those
 * dependents again (also when `work` throws). `call` is the addon's serviceControl (a test's own
 * service name and calls may stand in for it).
 */
export function withServiceRestarted<T>(out: LineWriter, work: () => T, service = EAPHOST_SERVICE,
  call: Control = binding.serviceControl.bind(binding)): T {
  const before = control(call, service, 'query');
  const running = before.dependents.filter((d) => d.state !== SERVICE_STOPPED).map((d) => d.name);
  for (const dependent of running) {
    out(`stopping ${dependent}, which depends on ${service}`);
    control(call, dependent, 'stop');
  }
  if (before.state !== SERVICE_STOPPED) {
    out(`stopping ${service}`);
    control(call, service, 'stop');
  }
  try {
    return work();
  } finally {
    out(`starting ${service}`);
    const after = control(call, service, 'start');
    if (after.state !== SERVICE_RUNNING) out(`${service} is in state ${after.state}, not running`);
    for (const dependent of [...running].reverse()) {
      out(`starting ${dependent} again`);
      control(call, dependent, 'start');
    }
  }
}
