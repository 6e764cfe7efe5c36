/**
 * `eaphost register` / `eaphost unregister` from their flags: exit 0 done, 1 refused (a typed
 * RegistrationError: UNC, a path others can change, another machine's module, a copy that does
 * not hash as its source) or a copy EapHost still holds, 2 bad usage or input (a relative
 * --module among them).
 */
import { RegistrationError } from '../../../core/errors';
import { CommandIo, ExitCode, FlagValues, UsageError } from '../../main';
import { asNeedsAdministrator, registerCopy, unregister } from '../../../register';
import { runningKept, startIfStopped, withServiceRestarted } from '../../../register/service';
import type { MethodRegistration, Sides } from '../../../register/methods-key';

const EXPANDED_TYPE = 254;
const DEFAULTS = { type: 4, author: 32473, name: 'EAP-MD5 (eaphost)', properties: 0, authorName: 'eaphost' };
const SINGLE_METHOD_FLAGS = ['module', 'type', 'author', 'vendor-id', 'vendor-type', 'name', 'properties', 'author-name'];

/** A DWORD flag, decimal or 0x-hex. */
function dword(values: FlagValues, name: string): number | undefined {
  const given = values[name];
  if (given === undefined) return undefined;
  const n = Number(given);
  if (typeof given !== 'string' || given.trim() === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new UsageError(`--${name} must be an integer from 0 to 4294967295, got "${String(given)}"`);
  }
  return n;
}

function sidesOf(values: FlagValues): Sides {
  const peer = values.peer === true;
  const authenticator = values.authenticator === true;
  return peer || authenticator ? { peer, authenticator } : { peer: true, authenticator: true };
}

/** --shipped, or one method by its flags (the defaults above otherwise). */
function whichMethods(values: FlagValues): 'shipped' | MethodRegistration {
  if (values.shipped === true) {
    const extra = SINGLE_METHOD_FLAGS.find((name) => values[name] !== undefined);
    if (extra) throw new UsageError(`--shipped takes each method's type, name, author and properties from the package's manifest: drop --${extra}`);
    return 'shipped';
  }
  const method: MethodRegistration = {
    type: dword(values, 'type') ?? DEFAULTS.type,
    author: dword(values, 'author') ?? DEFAULTS.author,
    vendorId: dword(values, 'vendor-id'),
    vendorType: dword(values, 'vendor-type'),
    name: (values.name as string | undefined) ?? DEFAULTS.name,
    properties: dword(values, 'properties') ?? DEFAULTS.properties,
    authorName: (values['author-name'] as string | undefined) ?? DEFAULTS.authorName,
  };
  if (method.type < 1 || method.type > 255) throw new UsageError('--type must be 1..255');
  const expanded = method.type === EXPANDED_TYPE;
  if (expanded !== (method.vendorId !== undefined && method.vendorType !== undefined)) {
    throw new UsageError('--vendor-id and --vendor-type go with --type 254, and only with it');
  }
  if (expanded && method.vendorId! > 0xffffff) throw new UsageError('--vendor-id is 24-bit');
  return method;
}

/** Said after every register and unregister: neither takes effect in a running EapHost. */
const READ_AT_START = 'EapHost reads method registrations when it starts: run this with --restart-service ' +
  '(or restart EapHost, stopping Wired AutoConfig first, which depends on it) for it to take effect';

function requireWindows(command: string): void {
  if (process.platform !== 'win32') {
    throw new UsageError(`eaphost ${command} writes EAPHost's registration in the Windows registry: run it on Windows, as an administrator`);
  }
}

/**
 * A refusal is exit 1 with its reason; a relative path is bad input (2). Access denied that no
 * step typed on its way (node:fs's EACCES / EPERM, a Win32 error 5 from the addon) is still a
 * missing elevation, named by the path or the call it came from.
 */
export function refused(cause: unknown, io: CommandIo): number {
  const where = cause as { path?: unknown; call?: unknown } | undefined;
  const error = cause instanceof RegistrationError ? cause
    : asNeedsAdministrator(cause, String(where?.path ?? where?.call ?? 'Program Files or HKLM'));
  if (!(error instanceof RegistrationError)) throw error;
  if (error.reason === 'relative-path') throw new UsageError(error.message);
  io.err(`eaphost: refused (${error.reason}): ${error.message}`);
  return ExitCode.Reject;
}

/** Whether --restart-service must restart nothing: a service --keep-running names depends on EapHost and runs. */
function keptRunning(values: FlagValues, io: CommandIo): boolean {
  const keep = typeof values['keep-running'] === 'string' ? [values['keep-running']] : [];
  const kept = runningKept(keep);
  if (kept) io.out(`${kept} runs and depends on EapHost, and --keep-running ${kept} asks not to stop it: nothing restarted`);
  return kept !== undefined;
}

export async function runRegister(values: FlagValues, io: CommandIo): Promise<number> {
  const methods = whichMethods(values);
  if (methods !== 'shipped' && values.module === undefined) throw new UsageError('register needs --shipped or --module PATH');
  requireWindows('register');
  try {
    const work = (waitForRelease = false) => registerCopy({ module: values.module as string | undefined, methods, sides: sidesOf(values) },
      io.out, {}, { waitForRelease });
    const started = (): number => {
      if (values['start-service'] === true) startIfStopped(io.out);
      return ExitCode.Accept;
    };
    if (values['restart-service'] !== true || keptRunning(values, io)) {
      work();
      io.out(READ_AT_START);
      return started();
    }
    // The work first, EapHost running, so a refusal stops nothing; a copy EapHost holds (busy) is
    // written with the service stopped instead. Then EapHost restarts, asked to, whatever the work
    // changed: an unchanged key says nothing of whether the running EapHost read it (a register
    // without --restart-service wrote the same values after EapHost started).
    try {
      work();
    } catch (error) {
      if (!(error instanceof RegistrationError) || error.reason !== 'busy') throw error;
      // EapHost STOPPED (withServiceRestarted waits for it); its process may still hold the copy a moment.
      withServiceRestarted(io.out, () => work(true));
      return started();
    }
    withServiceRestarted(io.out, () => undefined);
    return started();
  } catch (error) {
    return refused(error, io);
  }
}

export async function runUnregister(values: FlagValues, io: CommandIo): Promise<number> {
  const methods = whichMethods(values);
  requireWindows('unregister');
  const work = () => unregister(methods === 'shipped' ? 'shipped' : [methods], sidesOf(values), io.out);
  let busy: string[];
  try {
    if (values['restart-service'] === true && !keptRunning(values, io)) ({ busy } = withServiceRestarted(io.out, work));
    else {
      ({ busy } = work());
      io.out(READ_AT_START);
    }
  } catch (error) {
    return refused(error, io);
  }
  return busy.length === 0 ? ExitCode.Accept : ExitCode.Reject;
}
