/**
 * Windows wired connect (lib/profile/connect/wired.ts) as far as this machine's Windows goes: under
 * Wine and on a CI runner there is no wired 802.1X port, and Wired AutoConfig (dot3svc) is stopped
 * or absent. The event API call gives records or a typed EapError naming the wevtapi call, never a
 * crash; connectWired on an interface that does not exist resolves with a typed outcome, and that
 * outcome agrees with what the event API itself answered (read independently, first): a log that
 * cannot be read means nothing was tried, and so does a Wired AutoConfig service that is stopped
 * or absent (asked first, of the service control manager); otherwise the name is looked up in
 * `netsh lan show interfaces` and, as no interface has it, nothing is tried either.
 */
import * as assert from 'node:assert/strict';
import { EapError } from '../../lib/core/errors';
import { binding } from '../../lib/native';
import { connectWired } from '../../lib/profile/connect/wired';
import { WIRED_AUTOCONFIG_CHANNEL, parseWiredEvent, wiredEventQuery } from '../../lib/profile/connect/wired-events';
import type { ConnectEvent } from '../../lib/profile/connect/outcome';
import { requireWindows } from './support';

const EVENT_API_CALLS = ['LoadLibraryExW', 'GetProcAddress', 'EvtQuery', 'EvtNext', 'EvtRender'];
const NO_SUCH_INTERFACE = 'eaphost-no-such-interface';
const SERVICE_RUNNING = 4;  // winsvc.h

type Answer = { records: string[] } | { error: EapError };

async function ask(query: string, reverse: boolean): Promise<Answer> {
  try {
    return { records: await binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query, reverse, maxEvents: 8 }) };
  } catch (error) {
    assert.ok(error instanceof EapError, `not an EapError: ${String(error)}`);
    assert.ok(EVENT_API_CALLS.includes(error.call ?? ''), `call ${String(error.call)}`);
    assert.notEqual(error.win32Error, 0, error.message);
    return { error };
  }
}

/** Wired AutoConfig's state as the service control manager reports it, asked here first. */
function wiredAutoConfigState(): { running: true } | { state: number } | { error: EapError } {
  try {
    const { state } = binding.serviceControl({ service: 'dot3svc', action: 'query', timeoutMs: 1000 });
    return state === SERVICE_RUNNING ? { running: true } : { state };
  } catch (error) {
    assert.ok(error instanceof EapError, `not an EapError: ${String(error)}`);
    return { error };
  }
}

describe('Windows wired connect: the event log and netsh, with no wired 802.1X port', function () {
  before(requireWindows);
  this.timeout(30000);

  it('the event API answers a query on the Wired-AutoConfig channel with records or a typed error', async () => {
    for (const query of ['*', wiredEventQuery(undefined, new Date(Date.now() - 3600_000))]) {
      const answer = await ask(query, true);
      if ('records' in answer) {
        assert.ok(answer.records.length <= 8);
        // Whatever the channel already holds is the provider's own XML: the reader takes it or
        // refuses it as typed, never throws anything else.
        for (const xml of answer.records) {
          assert.match(xml, /^<Event[\s>]/);
          try {
            parseWiredEvent(xml);
          } catch (error) {
            assert.equal((error as Error).name, 'WiredEventError', String(error));
          }
        }
      }
    }
  });

  it('a query Windows cannot parse, or a channel that does not exist, is a typed error naming EvtQuery', async () => {
    for (const [channel, query] of [['eaphost-no-such-channel/Operational', '*'], [WIRED_AUTOCONFIG_CHANNEL, '*[System[(']]) {
      await assert.rejects(binding.eventLogQuery({ channel, query, reverse: false, maxEvents: 1 }),
        (error: unknown) => error instanceof EapError && EVENT_API_CALLS.includes(error.call ?? '') && error.win32Error !== 0);
    }
  });

  it('connectWired on an interface that does not exist resolves with a typed outcome that agrees with the event API', async () => {
    const before = await ask('*', true);
    const service = wiredAutoConfigState();
    const events: ConnectEvent[] = [];
    const outcome = await connectWired({ interface: NO_SUCH_INTERFACE, timeoutMs: 3000, onEvent: (event) => events.push(event) });
    assert.equal(outcome.via, 'wired-autoconfig');
    assert.equal(outcome.connected, false);
    assert.equal(outcome.interface, NO_SUCH_INTERFACE);
    assert.ok(outcome.nextStep && outcome.message);
    assert.ok(outcome.elapsedMs >= 0 && outcome.elapsedMs < 30000);
    if (!('running' in service)) {
      // Wired AutoConfig stopped or absent (Wine has none; Windows 11 leaves it stopped): asked
      // first, the outcome names it and how to start it; netsh is never asked (it would exit 0
      // for nothing), nor the log read.
      assert.equal(outcome.category, 'policy', outcome.message);
      assert.match(outcome.message, /Wired AutoConfig service \(dot3svc\)/);
      assert.match(outcome.nextStep ?? '', /sc\.exe start dot3svc/);
      // The service control manager's answer is in the message; no code came from the network.
      if ('error' in service) assert.equal(outcome.message.split(`(Win32 error ${service.error.win32Error})`).length, 2, outcome.message);
      else assert.match(outcome.message, new RegExp(`not running \\(state ${service.state}\\b`));
      assert.deepEqual(outcome.codes, []);
      assert.deepEqual(events, []);
    } else if ('error' in before) {
      assert.equal(outcome.category, 'unknown');
      assert.deepEqual(outcome.codes, [{ source: 'win32', value: before.error.win32Error }]);
      assert.match(outcome.message, /could not be read, so nothing was tried/);
      assert.deepEqual(events, []);
    } else {
      // Wired AutoConfig runs and its log reads: the name is looked up (netsh lan show
      // interfaces) before anything is started, and no interface has it.
      assert.equal(outcome.category, 'unknown', outcome.message);
      assert.match(outcome.message, new RegExp(`Wired AutoConfig lists no interface named "${NO_SUCH_INTERFACE}"`));
      assert.deepEqual(events, [], 'netsh lan reconnect was not reached');
    }
  });
});
