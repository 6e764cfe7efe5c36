/**
 * Our Disconnect-Requests and CoA-Requests judged by hostapd's Dynamic Authorization Server
 * (RFC 5176) on loopback, with no stations: the verdicts are hostapd's, from its own checks of the
 * authenticators, the Event-Timestamp, the NAS identification and the session. A request hostapd
 * cannot verify it drops without a word (its log says why), so a wrong secret is silence here.
 * CoA depends on the build: Debian's hostapd (CONFIG_HS20) knows only Hotspot 2.0's Terms and
 * Conditions filtering attribute; the TEAP build of scripts/ci/teap-hostap.sh has no CoA (405).
 */
import { strict as assert } from 'node:assert';
import { main } from '../../lib/cli/main';
import { coaRequest, disconnectRequest, RadiusTimeoutError } from '../../lib/radius';
import { runCli, secretFlag } from '../support/cli-run';
import { cliOutputSchema, validate } from '../support/cli-output-schema';
import { DasHostapd, hs20TermsAndConditionsFiltering, startDasHostapd } from '../support/hostapd-das';
import { freeUdpPort } from '../support/programs';
import { teapHostap } from '../support/teap-hostap';

const SECRET = 'das-shared-secret';
const NAS_IDENTIFIER = 'eaphost-nas';

describe("RFC 5176 against hostapd's Dynamic Authorization Server on loopback", function () {
  this.timeout(60_000);
  let debian: DasHostapd;
  const endpoint = () => ({ host: '127.0.0.1', port: debian.port, secret: SECRET });

  before(async () => {
    debian = await startDasHostapd({ secret: SECRET, nasIdentifier: NAS_IDENTIFIER });
  });
  after(async () => {
    await debian?.daemon.stop();
  });

  it('a Disconnect-Request for a session hostapd does not have: NAK, Error-Cause 503 Session Context Not Found', async () => {
    // hostapd requires both the Message-Authenticator and the Event-Timestamp here: an answer proves both verified.
    const mark = debian.daemon.log().length;
    const reply = await disconnectRequest(endpoint(), { session: { userName: 'nobody', nasIdentifier: NAS_IDENTIFIER } });
    assert.deepEqual([reply.acknowledged, reply.codeName], [false, 'Disconnect-NAK']);
    assert.deepEqual(reply.errorCauses, [{ value: 503, name: 'Session Context Not Found' }]);
    await debian.daemon.logUntil(mark, /RADIUS DAS: No matches remaining after User-Name check/);
  });

  it('a session named on another NAS: NAK, Error-Cause 403 NAS Identification Mismatch', async () => {
    const reply = await disconnectRequest(endpoint(), { session: { callingStationId: '02-00-00-00-00-01', nasIdentifier: 'another-nas' } });
    assert.deepEqual(reply.errorCauses, [{ value: 403, name: 'NAS Identification Mismatch' }]);
  });

  it('a Calling-Station-Id that is no MAC address: NAK, Error-Cause 407 Invalid Attribute Value', async () => {
    const reply = await disconnectRequest(endpoint(), { session: { callingStationId: 'not-a-mac' } });
    assert.deepEqual(reply.errorCauses, [{ value: 407, name: 'Invalid Attribute Value' }]);
  });

  it('a wrong secret: hostapd drops the request (it says so), so the client times out after every try', async () => {
    const mark = debian.daemon.log().length;
    await assert.rejects(disconnectRequest({ ...endpoint(), secret: 'not-the-secret' }, { session: { userName: 'nobody' } },
      { timeoutMs: 600, tries: 2 }), (error: unknown) => error instanceof RadiusTimeoutError && error.tries === 2);
    await debian.daemon.logUntil(mark, /(DAS: Invalid authenticator or Message-Authenticator in packet .* - drop[^]*){2}/);
  });

  it('Event-Timestamp: without it, or an hour old, hostapd drops the request (radius_das_time_window=300)', async () => {
    const mark = debian.daemon.log().length;
    await assert.rejects(disconnectRequest(endpoint(), { session: { userName: 'nobody' } }, { timeoutMs: 300, tries: 1, eventTimestamp: false }),
      RadiusTimeoutError);
    await assert.rejects(disconnectRequest(endpoint(), { session: { userName: 'nobody' } },
      { timeoutMs: 300, tries: 1, eventTimestamp: new Date(Date.now() - 3_600_000) }), RadiusTimeoutError);
    await debian.daemon.logUntil(mark, /DAS: Missing Event-Timestamp in packet/);
    await debian.daemon.logUntil(mark, /DAS: Unacceptable Event-Timestamp/);
  });

  it('without our Message-Authenticator hostapd (requiring it) drops the request', async () => {
    const mark = debian.daemon.log().length;
    await assert.rejects(disconnectRequest(endpoint(), { session: { userName: 'nobody' } },
      { timeoutMs: 300, tries: 1, messageAuthenticator: false }), RadiusTimeoutError);
    await debian.daemon.logUntil(mark, /Missing Message-Authenticator attribute in RADIUS message/);
  });

  it("CoA, Debian's build: Session-Timeout is 401 Unsupported Attribute, no change at all 402 Missing Attribute, " +
    'the Terms and Conditions filtering attribute 503 (no session)', async () => {
    const timeout = await coaRequest(endpoint(), { session: { userName: 'nobody' }, changes: { sessionTimeout: 600 } });
    assert.deepEqual([timeout.codeName, timeout.errorCauses], ['CoA-NAK', [{ value: 401, name: 'Unsupported Attribute' }]]);
    const nothing = await coaRequest(endpoint(), { session: { userName: 'nobody' } });
    assert.deepEqual(nothing.errorCauses, [{ value: 402, name: 'Missing Attribute' }]);
    const filtering = await coaRequest(endpoint(), { session: { userName: 'nobody' }, attributes: [hs20TermsAndConditionsFiltering()] });
    assert.deepEqual(filtering.errorCauses, [{ value: 503, name: 'Session Context Not Found' }]);
  });

  it('eaphost disconnect and coa: NAK is exit 1 with the Error-Cause by name, silence exit 3', async () => {
    const nas = ['--nas', `127.0.0.1:${debian.port}`, ...secretFlag('secret', SECRET)];
    const disconnect = await runCli(main, ['disconnect', ...nas, '--identity', 'nobody', '--nas-identifier', NAS_IDENTIFIER]);
    assert.equal(disconnect.code, 1, [...disconnect.out, ...disconnect.err].join('\n'));
    assert.match(disconnect.err.join('\n'), /^Disconnect-NAK from 127\.0\.0\.1:\d+: refused \(Error-Cause 503 Session Context Not Found\)/m);
    const coa = await runCli(main, ['coa', ...nas, '--identity', 'nobody', '--session-timeout', '60', '--json']);
    assert.equal(coa.code, 1);
    const json = JSON.parse(coa.out[0]);
    assert.deepEqual([json.result, json.code, json.errorCause], ['nak', 'CoA-NAK', { value: 401, name: 'Unsupported Attribute' }]);
    const wrong = await runCli(main, ['disconnect', '--nas', `127.0.0.1:${debian.port}`, ...secretFlag('secret', 'wrong-secret'),
      '--identity', 'nobody', '--timeout', '300', '--tries', '1', '--json']);
    assert.equal(wrong.code, 3);
    assert.equal(JSON.parse(wrong.out[0]).result, 'timeout');
  });

  it('--json: a NAK with its Error-Cause, and silence, in the shape of schema/cli-output.schema.json', async () => {
    const json = async (argv: string[]): Promise<{ code: number; report: Record<string, unknown> }> => {
      const run = await runCli(main, [...argv, '--json']);
      assert.equal(run.out.length, 1, run.out.join('\n'));
      const report = JSON.parse(run.out[0]) as Record<string, unknown>;
      assert.deepEqual(validate(report, cliOutputSchema), [], run.out[0]);
      assert.equal(report.exitCode, run.code);
      return { code: run.code, report };
    };
    const nas = ['--nas', `127.0.0.1:${debian.port}`, ...secretFlag('secret', SECRET)];
    const nak = await json(['disconnect', ...nas, '--identity', 'nobody']);
    assert.deepEqual([nak.code, nak.report.success, nak.report.result, nak.report.code, nak.report.roundTrips, nak.report.identity],
      [1, false, 'nak', 'Disconnect-NAK', 1, 'nobody']);
    assert.deepEqual(nak.report.errorCause, { value: 503, name: 'Session Context Not Found' });
    const coa = await json(['coa', ...nas, '--identity', 'nobody', '--filter-id', 'guests']);
    assert.deepEqual([coa.code, coa.report.result, coa.report.errorCauses], [1, 'nak', [{ value: 401, name: 'Unsupported Attribute' }]]);
    const silent = await json(['disconnect', '--nas', `127.0.0.1:${await freeUdpPort()}`, ...secretFlag('secret', SECRET),
      '--identity', 'nobody', '--timeout', '300', '--tries', '1']);
    assert.deepEqual([silent.code, silent.report.result, silent.report.roundTrips], [3, 'timeout', null]);
    // The schema can refuse them: an Error-Cause is its number and name, success is an ACK.
    assert.notDeepEqual(validate({ ...nak.report, errorCause: 503 }, cliOutputSchema), []);
    assert.notDeepEqual(validate({ ...nak.report, success: true }, cliOutputSchema), []);
    assert.notDeepEqual(validate({ ...nak.report, code: undefined }, cliOutputSchema), []);
  });

  it('CoA, a build without Hotspot 2.0 (the TEAP build): NAK, Error-Cause 405 Unsupported Service', async () => {
    const teap = await startDasHostapd({ secret: SECRET, program: teapHostap().hostapd });
    try {
      const reply = await coaRequest({ host: '127.0.0.1', port: teap.port, secret: SECRET },
        { session: { userName: 'nobody' }, changes: { sessionTimeout: 600 } });
      assert.deepEqual([reply.codeName, reply.errorCauses], ['CoA-NAK', [{ value: 405, name: 'Unsupported Service' }]]);
      await teap.daemon.logUntil(0, /DAS: CoA not supported/);
      // Its Disconnect works as Debian's does.
      const disconnect = await disconnectRequest({ host: '127.0.0.1', port: teap.port, secret: SECRET }, { session: { userName: 'nobody' } });
      assert.deepEqual(disconnect.errorCauses, [{ value: 503, name: 'Session Context Not Found' }]);
    } finally {
      await teap.daemon.stop();
    }
  });
});
