/**
 * `--restart-service` (lib/register/service.ts): the order of the service control manager's
 * calls around a registration, held to what Windows requires: a service with running dependents
 * cannot be stopped (ERROR_DEPENDENT_SERVICES_RUNNING, 1051), so the dependents that run stop
 * first, in EnumDependentServices' order, and start again last, in reverse; dependents that were
 * stopped stay stopped; EapHost starts again even when the work in between fails. The calls here
 * are a recorder standing in for the SCM (test/windows/service-control.test.ts runs the real one
 * under Wine, windows.yml's register --restart-service steps on Windows with Wired AutoConfig).
 */
import { strict as assert } from 'node:assert';
import { withServiceRestarted } from '../lib/register/service';
import { RegistrationError } from '../lib/core/errors';

type Action = 'query' | 'stop' | 'start';

/** An SCM stand-in: EapHost with its dependents, each call recorded, 1051 where Windows gives it. */
function scm(states: Record<string, number>, dependents: string[]) {
  const calls: string[] = [];
  const call = ({ service, action }: { service: string; action: Action; timeoutMs: number }) => {
    calls.push(`${action} ${service}`);
    if (action === 'stop' && service === 'EapHost' && dependents.some((d) => states[d] !== 1)) {
      throw Object.assign(new Error('dependent services running'), { win32Error: 1051 });
    }
    if (action === 'stop') states[service] = 1;
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

  it('a stopped EapHost is not stopped again, and is started after the work', () => {
    const { calls, call } = scm({ EapHost: 1 }, []);
    withServiceRestarted(() => undefined, () => { calls.push('work'); }, 'EapHost', call);
    assert.deepEqual(calls, ['query EapHost', 'work', 'start EapHost']);
  });

  it('the work failing still starts EapHost and the dependents again, and its error comes through', () => {
    const { calls, call, states } = scm({ EapHost: 4, dot3svc: 4 }, ['dot3svc']);
    assert.throws(() => withServiceRestarted(() => undefined, () => { throw new Error('busy copy'); }, 'EapHost', call), /busy copy/);
    assert.deepEqual(calls.slice(-2), ['start EapHost', 'start dot3svc']);
    assert.equal(states.EapHost, 4);
  });

  it('access denied (5) from the SCM is a typed needs-administrator refusal', () => {
    const denied = () => { throw Object.assign(new Error('denied'), { win32Error: 5 }); };
    assert.throws(() => withServiceRestarted(() => undefined, () => undefined, 'EapHost', denied),
      (error: unknown) => error instanceof RegistrationError && error.reason === 'needs-administrator');
  });
});
