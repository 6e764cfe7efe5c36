/**
 * `--restart-service` (lib/register/service.ts): the order of the service control manager's
 * calls around a registration, held to what Windows requires: a service with running dependents
 * cannot be stopped (ERROR_DEPENDENT_SERVICES_RUNNING, 1051), so the dependents that run stop
 * first, in EnumDependentServices' order, and start again last, in reverse; dependents that were
 * stopped stay stopped, and so does an EapHost that was; what was stopped starts again even when the work
 * in between fails, each service in its own try; a stop refused with 1051 or 1061 is retried once after
 * a new query; a stop that fails leaves nothing stopped and skips the work. Wine's SCM cannot be made to
 * refuse a stop or a start on cue, so the calls here are a recorder standing in for the SCM (test/windows/service-control.test.ts runs the real one
 * under Wine, windows.yml's register --restart-service steps on Windows with Wired AutoConfig).
 */
import { strict as assert } from 'node:assert';
import { runningKept, startIfStopped, withServiceRestarted } from '../lib/register/service';
import { whenReleased } from '../lib/register/index';
import { RegistrationError } from '../lib/core/errors';

type Action = 'query' | 'stop' | 'start';

/** An SCM stand-in: EapHost with its dependents, each call recorded, 1051 where Windows gives it. A
 *  service named in `pending` answers its stop STOP_PENDING (3), and that many queries after it too,
 *  before it is STOPPED, as a svchost still unloading its DLLs does. */
function scm(states: Record<string, number>, dependents: string[], pending: Record<string, number> = {}) {
  const calls: string[] = [];
  const call = ({ service, action }: { service: string; action: Action; timeoutMs: number }) => {
    calls.push(`${action} ${service}`);
    if (action === 'stop' && service === 'EapHost' && dependents.some((d) => states[d] !== 1)) {
      throw Object.assign(new Error('dependent services running'), { win32Error: 1051 });
    }
    if (action === 'query' && states[service] === 3 && pending[service]-- <= 0) states[service] = 1;
    if (action === 'stop') states[service] = pending[service] === undefined ? 1 : 3;
    if (action === 'start') states[service] = 4;
    return { state: states[service], dependents: service === 'EapHost' ? dependents.map((name) => ({ name, state: states[name] })) : [] };
  };
  return { calls, call, states };
}

describe('register --restart-service: EapHost and its dependents around the work', () => {
  it('stops the running dependents first, then EapHost; starts EapHost, then those dependents in reverse', () => {
    const { calls, call, states } = scm({ EapHost: 4, dot3svc: 4, other: 4, idle: 1 }, ['other', 'dot3svc', 'idle']);
    const said: string[] = [];
    const result = withServiceRestarted((line) => said.push(line), () => { calls.push('work'); return 7; }, 'EapHost', call);
    assert.equal(result, 7);
    assert.deepEqual(calls, ['query EapHost', 'stop other', 'stop dot3svc', 'stop EapHost', 'work', 'start EapHost',
      'start dot3svc', 'start other']);
    assert.deepEqual(states, { EapHost: 4, dot3svc: 4, other: 4, idle: 1 }, 'the idle dependent stays stopped');
    assert.ok(said.includes('stopping dot3svc, which depends on EapHost') && said.includes('starting dot3svc again'), said.join('\n'));
  });

  it('a stopped EapHost is not stopped, and stays stopped after the work', () => {
    const { calls, call, states } = scm({ EapHost: 1 }, []);
    withServiceRestarted(() => undefined, () => { calls.push('work'); }, 'EapHost', call);
    assert.deepEqual(calls, ['query EapHost', 'work']);
    assert.equal(states.EapHost, 1);
  });

  it('the work failing still starts EapHost and the dependents again, and its error comes through', () => {
    const { calls, call, states } = scm({ EapHost: 4, dot3svc: 4 }, ['dot3svc']);
    assert.throws(() => withServiceRestarted(() => undefined, () => { throw new Error('busy copy'); }, 'EapHost', call), /busy copy/);
    assert.deepEqual(calls.slice(-2), ['start EapHost', 'start dot3svc']);
    assert.equal(states.EapHost, 4);
  });

  it('a dependent that does not stop (1052): the work is not done, and what was stopped starts again', () => {
    const { calls, call, states } = scm({ EapHost: 4, first: 4, stubborn: 4 }, ['first', 'stubborn']);
    const failing: typeof call = (request) => {
      if (request.action === 'stop' && request.service === 'stubborn') {
        calls.push('stop stubborn');
        throw Object.assign(new Error('the control is not valid'), { win32Error: 1052 });
      }
      return call(request);
    };
    assert.throws(() => withServiceRestarted(() => undefined, () => { calls.push('work'); }, 'EapHost', failing),
      (error: unknown) => (error as { win32Error?: number }).win32Error === 1052);
    assert.ok(!calls.includes('work'), calls.join(', '));
    assert.deepEqual(calls, ['query EapHost', 'stop first', 'stop stubborn', 'start first']);
    assert.deepEqual(states, { EapHost: 4, first: 4, stubborn: 4 });
  });

  it('EapHost failing to start (1058, disabled) still starts each dependent in its own try; every failure said after the work, then a typed error', () => {
    const { calls, call, states } = scm({ EapHost: 4, dot3svc: 4, other: 4 }, ['other', 'dot3svc']);
    const said: string[] = [];
    const failing: typeof call = (request) => {
      if (request.action === 'start' && (request.service === 'EapHost' || request.service === 'other')) {
        calls.push(`start ${request.service}`);
        throw Object.assign(new Error('the service is disabled'), { win32Error: 1058 });
      }
      return call(request);
    };
    assert.throws(() => withServiceRestarted((line) => said.push(line), () => { said.push('work done'); return 1; }, 'EapHost', failing),
      (error: unknown) => error instanceof RegistrationError && error.reason === 'service-restart' &&
        /EapHost did not start.*1058.*other did not start.*1058/.test(error.message));
    assert.deepEqual(calls.slice(-3), ['start EapHost', 'start dot3svc', 'start other']);
    assert.equal(states.dot3svc, 4);
    const work = said.indexOf('work done');
    const failures = said.filter((line) => / did not start/.test(line)).map((line) => said.indexOf(line));
    assert.equal(failures.length, 2, said.join('\n'));
    assert.ok(failures.every((at) => at > work), said.join('\n'));
  });

  it('the work failing and a start failing: the work\'s error comes through, the start failure is said', () => {
    const { call } = scm({ EapHost: 4 }, []);
    const said: string[] = [];
    const failing: typeof call = (request) => {
      if (request.action === 'start') throw Object.assign(new Error('timeout'), { win32Error: 1053 });
      return call(request);
    };
    assert.throws(() => withServiceRestarted((line) => said.push(line), () => { throw new Error('busy copy'); }, 'EapHost', failing), /busy copy/);
    assert.ok(said.some((line) => /EapHost did not start.*1053/.test(line)), said.join('\n'));
  });

  for (const code of [1051, 1061]) {
    it(`EapHost refusing the stop once with ${code}: queried again (a dependent started meanwhile is stopped), stopped, then all started again`, () => {
      const { calls, call, states } = scm({ EapHost: 4, dot3svc: 1 }, ['dot3svc']);
      let refused = false;
      const racing: typeof call = (request) => {
        if (request.action === 'stop' && request.service === 'EapHost' && !refused) {
          refused = true;
          calls.push('stop EapHost');
          if (code === 1051) states.dot3svc = 4;
          throw Object.assign(new Error('refused'), { win32Error: code });
        }
        return call(request);
      };
      withServiceRestarted(() => undefined, () => { calls.push('work'); }, 'EapHost', racing);
      const expected = code === 1051
        ? ['query EapHost', 'stop EapHost', 'query EapHost', 'stop dot3svc', 'stop EapHost', 'work', 'start EapHost', 'start dot3svc']
        : ['query EapHost', 'stop EapHost', 'query EapHost', 'stop EapHost', 'work', 'start EapHost'];
      assert.deepEqual(calls, expected);
      assert.equal(states.EapHost, 4);
    });
  }

  it('a second refusal of the stop is thrown, and nothing is left stopped', () => {
    const { calls, call, states } = scm({ EapHost: 4, dot3svc: 4 }, ['dot3svc']);
    const refusing: typeof call = (request) => {
      if (request.action === 'stop' && request.service === 'EapHost') {
        calls.push('stop EapHost');
        throw Object.assign(new Error('cannot accept control'), { win32Error: 1061 });
      }
      return call(request);
    };
    assert.throws(() => withServiceRestarted(() => undefined, () => { calls.push('work'); }, 'EapHost', refusing),
      (error: unknown) => (error as { win32Error?: number }).win32Error === 1061);
    assert.ok(!calls.includes('work'));
    assert.deepEqual(states, { EapHost: 4, dot3svc: 4 });
  });

  it('a stop answered STOP_PENDING: queried until STOPPED before the next stop, and before the work', () => {
    const { calls, call, states } = scm({ EapHost: 4, dot3svc: 4 }, ['dot3svc'], { dot3svc: 1, EapHost: 2 });
    withServiceRestarted(() => undefined, () => { calls.push('work'); }, 'EapHost', call);
    assert.deepEqual(calls, ['query EapHost', 'stop dot3svc', 'query dot3svc', 'query dot3svc', 'stop EapHost', 'query EapHost',
      'query EapHost', 'query EapHost', 'work', 'start EapHost', 'start dot3svc']);
    assert.deepEqual(states, { EapHost: 4, dot3svc: 4 });
  });

  it('whenReleased: the rename over a copy the stopped service still holds is tried again until it goes, then the busy error', () => {
    const held = (times: number, code = 'EBUSY') => {
      let calls = 0;
      const act = () => {
        if (++calls <= times) throw Object.assign(new Error(`${code} on the copy`), { code });
        return 'renamed';
      };
      return { act, calls: () => calls };
    };
    const released = held(2);
    assert.equal(whenReleased(released.act, 5_000, 1), 'renamed');
    assert.equal(released.calls(), 3, 'tried again while EBUSY');
    const locked = held(1, 'EPERM');
    assert.equal(whenReleased(locked.act, 5_000, 1), 'renamed');
    const noWait = held(1);
    assert.throws(() => whenReleased(noWait.act, 0, 1), /EBUSY on the copy/);
    assert.equal(noWait.calls(), 1, 'no wait when the service was not stopped');
    const missing = held(1, 'ENOENT');
    assert.throws(() => whenReleased(missing.act, 5_000, 1), /ENOENT/);
    assert.equal(missing.calls(), 1, 'only busy is waited for');
  });

  it('runningKept (the Action\'s --keep-running dot3svc): names a running dot3svc, whatever its case; nothing when it is stopped', () => {
    const running = scm({ EapHost: 4, DOT3SVC: 4 }, ['DOT3SVC']);
    assert.equal(runningKept(['dot3svc'], 'EapHost', running.call), 'DOT3SVC');
    assert.deepEqual(running.calls, ['query EapHost'], 'a query, never a stop');
    assert.equal(runningKept(['dot3svc'], 'EapHost', scm({ EapHost: 4, dot3svc: 1 }, ['dot3svc']).call), undefined);
    assert.equal(runningKept([], 'EapHost', running.call), undefined);
  });

  it('access denied (5) from the SCM is a typed needs-administrator refusal', () => {
    const denied = () => { throw Object.assign(new Error('denied'), { win32Error: 5 }); };
    assert.throws(() => withServiceRestarted(() => undefined, () => undefined, 'EapHost', denied),
      (error: unknown) => error instanceof RegistrationError && error.reason === 'needs-administrator');
  });

  it('startIfStopped (the Action, before its authentication) starts a stopped EapHost and leaves a running one alone', () => {
    const stopped = scm({ EapHost: 1 }, []);
    assert.equal(startIfStopped(() => undefined, 'EapHost', stopped.call), 4);
    assert.deepEqual(stopped.calls, ['query EapHost', 'start EapHost']);
    const running = scm({ EapHost: 4 }, []);
    assert.equal(startIfStopped(() => undefined, 'EapHost', running.call), 4);
    assert.deepEqual(running.calls, ['query EapHost']);
  });
});
