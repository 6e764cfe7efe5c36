/**
 * The Wired-AutoConfig event reader (lib/profile/connect/wired-events.ts) on records built from
 * the documented templates (test/fixtures/wired-autoconfig/README.md): each value expected here
 * is the fixture's own text at the template's position, and the codes' identities come from
 * their headers' documentation (ONEX_REASON_CODE counts from ONEX_REASON_START = 0x50000 in
 * dot1x.h; EAP_E_USER_CREDENTIALS_REJECTED is 0x80420111). Hostile or malformed records are
 * typed errors. Off Windows, connectWired asks for Wired AutoConfig's state before it touches
 * anything, so it resolves with a typed outcome naming the refusal and never runs netsh.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EapError } from '../lib/core/errors';
import { binding } from '../lib/native';
import { connectWired } from '../lib/profile/connect/wired';
import {
  WIRED_AUTOCONFIG_CHANNEL, WIRED_EVENT, WiredAttempt, WiredEventError, parseWiredEvent, readWiredEvent,
  wiredEventQuery,
} from '../lib/profile/connect/wired-events';

const fixtures = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'wired-autoconfig');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
const ONEX_REASON_START = 0x50000;
const ONEX_UNABLE_TO_IDENTIFY_USER = ONEX_REASON_START + 1;
const ONEX_IDENTITY_NOT_FOUND = ONEX_REASON_START + 2;
const ONEX_EAP_FAILURE_RECEIVED = ONEX_REASON_START + 5;
const EAP_E_USER_CREDENTIALS_REJECTED = 0x80420111;
const GUID = '{6C1A5E2B-3F4D-4E8A-9B7C-0D1E2F3A4B5C}';
// Another interface (a Hyper-V vEthernet), as a record names it.
const OTHER_GUID = '{0B7E4C1D-2A3F-4E5B-8C6D-7E8F9A0B1C2D}';
const ERROR_NOT_SUPPORTED = 50;

/** A fixture with one substring replaced, which must be there. */
function altered(name: string, from: string | RegExp, to: string): string {
  const text = fixture(name);
  const out = text.replace(from, to);
  assert.notEqual(out, text, `${String(from)} is not in ${name}`);
  return out;
}

describe('Wired-AutoConfig event records', () => {
  it('reads 15514 (failed): its reason (%9) and error code (%11) as wired-reason and eap-error codes, its reason text', () => {
    const record = parseWiredEvent(fixture('15514-credentials-rejected.xml'));
    assert.equal(record.eventId, WIRED_EVENT.failed);
    assert.equal(record.recordId, 4102);
    assert.equal(record.timeCreated, '2026-11-26T15:00:03.5000000Z');
    assert.equal(record.interfaceGuid, GUID);
    assert.equal(record.data.length, 11);
    assert.equal(record.data[6], 'EAPHOST-TEST\\alice');
    const reading = readWiredEvent(record);
    assert.equal(reading.final, 'failed');
    assert.deepEqual(reading.codes, [
      { source: 'wired-reason', value: ONEX_EAP_FAILURE_RECEIVED },
      { source: 'eap-error', value: EAP_E_USER_CREDENTIALS_REJECTED },
    ]);
    assert.equal(reading.event?.state, 'failed');
    assert.deepEqual(reading.event?.code, { source: 'eap-error', value: EAP_E_USER_CREDENTIALS_REJECTED });
    assert.equal(reading.reasonText, 'The EAP method received an EAP failure (credentials were rejected & the server said so).');
  });

  it('reads decimal codes, a lowercase GUID, and no error code as no eap-error/win32 code', () => {
    const record = parseWiredEvent(fixture('15514-no-credentials.xml'));
    assert.equal(record.interfaceGuid, GUID);
    assert.equal(record.timeCreated, '2026-11-26T15:01:00Z');
    const reading = readWiredEvent(record);
    assert.deepEqual(reading.codes, [{ source: 'wired-reason', value: ONEX_UNABLE_TO_IDENTIFY_USER }]);
    assert.equal(reading.final, 'failed');
  });

  it('reads a non-EAP error code (%11) as a Win32 code', () => {
    const reading = readWiredEvent(parseWiredEvent(altered('15514-no-credentials.xml', '<Data Name="ErrorCode">0</Data>',
      '<Data Name="ErrorCode">0x4C7</Data>')));
    assert.deepEqual(reading.codes, [{ source: 'wired-reason', value: ONEX_UNABLE_TO_IDENTIFY_USER }, { source: 'win32', value: 1223 }]);
  });

  it('reads 15503 as 802.1X started and 15505 as the connected end, with no codes for a zero reason', () => {
    const started = readWiredEvent(parseWiredEvent(fixture('15503-started.xml')));
    assert.deepEqual(started, { event: { state: '802.1x-started', detail: 'Intel(R) Ethernet Connection I219-LM' }, codes: [] });
    const succeeded = readWiredEvent(parseWiredEvent(fixture('15505-succeeded.xml')));
    assert.equal(succeeded.final, 'connected');
    assert.equal(succeeded.event?.state, 'connected');
    assert.deepEqual(succeeded.codes, []);
  });

  it('reads 15506 (suspended) as a failed end with its reason code (%3) and block timer (%4)', () => {
    const reading = readWiredEvent(parseWiredEvent(fixture('15506-suspended.xml')));
    assert.equal(reading.final, 'failed');
    assert.deepEqual(reading.codes, [{ source: 'wired-reason', value: ONEX_IDENTITY_NOT_FOUND }]);
    assert.match(reading.event?.detail ?? '', /for 60 s$/);
  });

  it('says nothing about an event ID it does not read', () => {
    const record = parseWiredEvent(altered('15503-started.xml', '<EventID>15503</EventID>', '<EventID>15501</EventID>'));
    assert.deepEqual(readWiredEvent(record), { codes: [] });
  });

  describe('refuses, as a WiredEventError', () => {
    const cases: Array<[string, () => string]> = [
      ['an entity expansion (a DOCTYPE)', () => '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' +
        fixture('15503-started.xml').replace('Intel(R)', '&b;')],
      ['text that is not XML', () => 'Wired 802.1X Authentication failed.'],
      ['a truncated record', () => fixture('15514-credentials-rejected.xml').slice(0, 700)],
      ['another provider', () => altered('15503-started.xml', 'Name="Microsoft-Windows-Wired-AutoConfig"', 'Name="Microsoft-Windows-WLAN-AutoConfig"')],
      ['another root element', () => '<Events/>'],
      ['an EventID past 16 bits', () => altered('15503-started.xml', '<EventID>15503</EventID>', '<EventID>80503</EventID>')],
      ['an EventID that is not a number', () => altered('15503-started.xml', '<EventID>15503</EventID>', '<EventID>15503; DROP</EventID>')],
      ['a negative record ID', () => altered('15503-started.xml', '<EventRecordID>4101</EventRecordID>', '<EventRecordID>-1</EventRecordID>')],
      ['a record ID past 2^53', () => altered('15503-started.xml', '<EventRecordID>4101</EventRecordID>', '<EventRecordID>18446744073709551615</EventRecordID>')],
      ['a local time', () => altered('15503-started.xml', '2026-11-26T15:00:01.1234567Z', '2026-11-26 16:00:01')],
      ['an interface that is not a GUID', () => altered('15503-started.xml', GUID, 'Ethernet')],
      ['no EventData', () => altered('15503-started.xml', /<EventData>[\s\S]*<\/EventData>/, '')],
      ['markup inside a data item', () => altered('15503-started.xml', 'Intel(R)', '<b>Intel(R)</b>')],
      ['a record over 64 KiB', () => altered('15503-started.xml', 'Intel(R)', 'x'.repeat(70 * 1024))],
      ['a data item over 4096 characters', () => altered('15503-started.xml', 'Intel(R)', 'x'.repeat(5000))],
      ['more than 64 data items', () => altered('15503-started.xml', '</EventData>', '<Data>x</Data>'.repeat(70) + '</EventData>')],
    ];
    for (const [what, make] of cases) {
      it(what, () => {
        assert.throws(() => parseWiredEvent(make()), (error: unknown) => error instanceof WiredEventError && error.code === 'ERR_WIRED_EVENT');
      });
    }

    const readings: Array<[string, string, string | RegExp, string]> = [
      ['a 15514 without its error code (%11)', '15514-no-credentials.xml', '<Data Name="ErrorCode">0</Data>', ''],
      ['a reason past 32 bits', '15514-credentials-rejected.xml', '0x50005', '0x100050005'],
      ['a reason that is not a number', '15514-credentials-rejected.xml', '0x50005', 'five'],
      ['a block timer that is not a number', '15506-suspended.xml', '<Data Name="BlockTimer">60</Data>', '<Data Name="BlockTimer">sixty</Data>'],
    ];
    for (const [what, name, from, to] of readings) {
      it(what, () => {
        const record = parseWiredEvent(altered(name, from, to));
        assert.throws(() => readWiredEvent(record), WiredEventError);
      });
    }

    it('a record that is not a string', () => {
      assert.throws(() => parseWiredEvent(42 as unknown as string), WiredEventError);
    });
  });

  it('queries only this provider\'s events, after the last record and no older than the start', () => {
    const query = wiredEventQuery(4100, new Date(Date.UTC(2026, 10, 26, 15, 0, 0)));
    assert.equal(query, "*[System[Provider[@Name='Microsoft-Windows-Wired-AutoConfig'] and (EventID=15503 or EventID=15504 or " +
      "EventID=15505 or EventID=15506 or EventID=15514) and EventRecordID>4100 and TimeCreated[@SystemTime>='2026-11-26T15:00:00.000Z']]]");
    assert.doesNotMatch(wiredEventQuery(undefined, new Date(0)), /EventRecordID/);
    assert.throws(() => wiredEventQuery(-1, new Date(0)), RangeError);
  });
});

describe('the attempt\'s interface and its records', () => {
  /** A fixture's record moved to `guid` with the record ID `id`. */
  const recordOf = (name: string, guid: string, id: number) =>
    parseWiredEvent(fixture(name).replace(GUID, guid).replace(/<EventRecordID>\d+<\/EventRecordID>/, `<EventRecordID>${id}</EventRecordID>`));

  it('two interfaces log: only the named one\'s records are the attempt\'s, whichever logs first', () => {
    const attempt = new WiredAttempt(GUID);
    // The vEthernet starts and fails first; then the port's own NIC starts and succeeds.
    const readings = [
      recordOf('15503-started.xml', OTHER_GUID, 11),
      recordOf('15514-credentials-rejected.xml', OTHER_GUID, 12),
      recordOf('15503-started.xml', GUID, 13),
      recordOf('15505-succeeded.xml', GUID, 14),
    ].map((record) => attempt.take(record));
    assert.equal(readings[0], undefined);
    assert.equal(readings[1], undefined, 'the other interface\'s failure is not the attempt\'s');
    assert.equal(readings[2]?.event?.state, '802.1x-started');
    assert.equal(readings[3]?.final, 'connected');
    assert.equal(attempt.unconfirmedSuccess, false);
  });

  it('the named interface failing while the other succeeds: the failure, with its codes', () => {
    const attempt = new WiredAttempt(GUID);
    const readings = [
      recordOf('15503-started.xml', GUID, 21),
      recordOf('15503-started.xml', OTHER_GUID, 22),
      recordOf('15505-succeeded.xml', OTHER_GUID, 23),
      recordOf('15514-credentials-rejected.xml', GUID, 24),
    ].map((record) => attempt.take(record));
    assert.deepEqual(readings.map((reading) => reading?.final), [undefined, undefined, undefined, 'failed']);
    assert.deepEqual(readings[3]?.codes, [
      { source: 'wired-reason', value: ONEX_EAP_FAILURE_RECEIVED },
      { source: 'eap-error', value: EAP_E_USER_CREDENTIALS_REJECTED },
    ]);
  });

  it('15505 without the attempt\'s 15503 is no evidence: left out, and said', () => {
    const attempt = new WiredAttempt(GUID);
    assert.equal(attempt.take(recordOf('15505-succeeded.xml', GUID, 31)), undefined);
    assert.equal(attempt.unconfirmedSuccess, true);
    // A restart (15504) is no documented start either.
    const restarted = new WiredAttempt(GUID);
    const restart = parseWiredEvent(altered('15503-started.xml', '<EventID>15503</EventID>', '<EventID>15504</EventID>'));
    assert.equal(restarted.take(restart)?.event?.state, 'authenticating');
    assert.equal(restarted.take(recordOf('15505-succeeded.xml', GUID, 32)), undefined);
    assert.equal(restarted.unconfirmedSuccess, true);
    // After the attempt's 15503, the same 15505 is its success.
    assert.equal(restarted.take(recordOf('15503-started.xml', GUID, 33))?.event?.state, '802.1x-started');
    assert.equal(restarted.take(recordOf('15505-succeeded.xml', GUID, 34))?.final, 'connected');
  });
});

describe('connectWired: what it refuses, and where there is no event log', () => {
  it('refuses a request without an interface name, or a profile it would have to save without install', async () => {
    await assert.rejects(connectWired({ timeoutMs: 1000 }), TypeError);
    await assert.rejects(connectWired({ interface: 'Ethernet"\r\nx', timeoutMs: 1000 }), TypeError);
    await assert.rejects(connectWired({ interface: 'Ethernet', timeoutMs: 0 }), RangeError);
    const profile = { version: 1, networks: [{ type: 'wired' }], eap: [{ method: 'peap' }] } as never;
    await assert.rejects(connectWired({ interface: 'Ethernet', profile, timeoutMs: 1000 }), /cannot try one without saving it/);
  });

  it('rejects a query with bad arguments before it reaches the OS', () => {
    assert.throws(() => binding.eventLogQuery({ channel: '', query: '*', reverse: false, maxEvents: 1 }), TypeError);
    assert.throws(() => binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query: '*', reverse: false, maxEvents: 0 }), RangeError);
    assert.throws(() => binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query: '*', reverse: false, maxEvents: 1025 }), RangeError);
    assert.throws(() => binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query: '*', maxEvents: 1 } as never), TypeError);
  });

  // On Windows, test/windows/connect-wired.test.ts reads the real event log instead.
  if (process.platform !== 'win32') it('off Windows: the service control manager is refused as not supported, and connectWired resolves with that, having tried nothing', async () => {
    await assert.rejects(binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query: '*', reverse: true, maxEvents: 1 }),
      (error: unknown) => error instanceof EapError && error.win32Error === ERROR_NOT_SUPPORTED && error.call === 'EvtQuery');
    assert.throws(() => binding.serviceControl({ service: 'dot3svc', action: 'query', timeoutMs: 1000 }),
      (error: unknown) => error instanceof EapError && error.win32Error === ERROR_NOT_SUPPORTED);
    const events: string[] = [];
    const outcome = await connectWired({ interface: 'Ethernet', timeoutMs: 1000, onEvent: (event) => events.push(event.state) });
    assert.equal(outcome.via, 'wired-autoconfig');
    assert.equal(outcome.connected, false);
    // Wired AutoConfig is asked first (Windows' service control manager): here it cannot be.
    assert.equal(outcome.category, 'policy');
    assert.equal(outcome.interface, 'Ethernet');
    // The service control manager's error is in the message; the codes are the network's (none came).
    assert.deepEqual(outcome.codes, []);
    assert.match(outcome.message, new RegExp(`\\(Win32 error ${ERROR_NOT_SUPPORTED}\\)`));
    assert.match(outcome.message, /Wired AutoConfig service \(dot3svc\) could not be asked for its state \(absent, or not for this user\), so nothing was tried/);
    assert.match(outcome.nextStep ?? '', /sc\.exe start dot3svc/);
    assert.deepEqual(events, [], 'netsh was reached');
  });
});
