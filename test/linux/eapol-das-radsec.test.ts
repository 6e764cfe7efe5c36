/**
 * Our EAPOL authenticator port as a Dynamic Authorization Server over RadSec (RFC 5176 over RFC
 * 6614), judged by real peers: `eaphost serve --interface … --das :: --das-radsec` in one network
 * namespace of a veth pair this test makes, wpa_supplicant -Dwired (EAP-MD5) authenticated through
 * it from the other; as Dynamic Authorization Clients in the authenticator's namespace,
 * `eaphost disconnect --radsec` (its own verification of every reply under "radsec") and FreeRADIUS
 * 3.2, which originates the Disconnect-Request for an Accounting-Request's session to a
 * `type = coa` home server over TLS (raddb/sites-available/originate-coa) and logs the ACK it
 * read. The station's fate is read from the port's events and wpa_supplicant's own. A client whose address no --das-client holds (::1 here, its
 * certificate as good) gets a Protocol-Error with Error-Cause 406.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWiredLink, WiredLink } from '../support/netns';
import { Daemon, makeTempDir } from '../support/programs';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { startFreeRadius } from '../support/freeradius';
import { eaphostIn, eventFor, md5Network, PortEvent, servePort, someone, startWiredSupplicant } from '../support/wired-8021x';

describe('the EAPOL port as a Dynamic Authorization Server over RadSec: eaphost disconnect --radsec and FreeRADIUS against serve --interface --das-radsec', function () {
  this.timeout(120_000);
  const user = someone();
  let files: { path: string; remove(): void };
  let pki: InteropPki;
  let link: WiredLink;
  let port: Awaited<ReturnType<typeof servePort>>;
  let dasPort: number;
  let supplicant: Daemon | undefined;
  let station: string;

  before(async () => {
    files = makeTempDir('eapol-das-radsec');
    pki = await makeInteropPki();
    const users = join(files.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
    link = await makeWiredLink();
    // Both address families on one listener: 127.0.0.1 may send, ::1 may not.
    port = await servePort(link, ['--users', users, '--methods', 'md5', '--nas-identifier', 'port-under-test',
      '--das', '[::]', '--das-radsec', '--das-client', '127.0.0.1', '--radsec-cert', pki.files.serverCert,
      '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
    const listening = port.events().find((event) => event.event === 'listening') as PortEvent & { das?: { port: number } };
    assert.equal(listening?.das?.port, 2083, JSON.stringify(listening));
    dasPort = listening.das.port;
  });
  after(async () => {
    await supplicant?.stop();
    await port?.stop();
    await link?.remove();
    pki?.remove();
    files?.remove();
  });

  async function authenticate(): Promise<PortEvent> {
    await supplicant?.stop();
    station = await link.newSupplicantAddress();
    supplicant = await startWiredSupplicant(link.supplicant.ns, link.supplicant.ifname, join(files.path, 'wpa-ctrl'), md5Network(user));
    return eventFor(port, (e) => e.event === 'authorized' && e.supplicant === station);
  }

  const disconnect = (host: string, session: string[], transport = 'tls'): ReturnType<typeof eaphostIn> => eaphostIn(link.authenticator.ns,
    ['disconnect', '--nas', `${host.includes(':') ? `[${host}]` : host}:${dasPort}`, '--radsec', '--radsec-transport', transport,
      '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD,
      '--radsec-ca', pki.files.ca, '--radsec-server-name', SERVER_NAME, '--timeout', '5000', '--json', ...session]);
  const stationId = (): string => station.toUpperCase().replace(/:/g, '-');
  const eventsOf = (kind: string): PortEvent[] => port.events().filter((e) => e.event === kind && e.supplicant === station);

  it('Disconnect-Request over RadSec: Disconnect-ACK, the port ends the session and the supplicant authenticates anew', async () => {
    const first = await authenticate();
    const mark = supplicant!.log().length;
    const run = await disconnect('127.0.0.1', ['--calling-station-id', stationId(), '--nas-identifier', 'port-under-test']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}\n${port.log().slice(-2000)}`);
    const report = JSON.parse(run.stdout);
    assert.deepEqual([report.code, report.mode], ['Disconnect-ACK', 'radsec']);
    const ended = await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === station);
    assert.match(ended.reason ?? '', /Disconnect-Request \(RFC 5176\) from (?:::ffff:)?127\.0\.0\.1$/);
    for (let waited = 0; !/CTRL-EVENT-EAP-STARTED[\s\S]*CTRL-EVENT-EAP-SUCCESS/.test(supplicant!.log().slice(mark)); waited += 50) {
      assert.ok(waited < 15_000, `wpa_supplicant never authenticated anew\n${supplicant!.log().slice(-2000)}`);
      await new Promise((done) => setTimeout(done, 50));
    }
    await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === station && e.sessionId !== first.sessionId);

    // The old session is gone: its Acct-Session-Id names none now, over TLS and over DTLS (the same port number, UDP).
    for (const transport of ['tls', 'dtls']) {
      const again = await disconnect('127.0.0.1', ['--session-id', first.sessionId!], transport);
      assert.equal(again.code, 1, `${transport}: ${again.stdout}\n${again.stderr}`);
      assert.match(JSON.parse(again.stdout).reason, /503/);
    }
  });

  /** FreeRADIUS in the port's namespace, originating `packet` (with `attributes`) to the port's DAS over TLS for the
   *  Accounting-Request `eaphost acct` sends for the station's session; its log once it read the answer `answer`. */
  async function originated(packet: 'disconnect' | 'coa', attributes: string[], sessionId: string, answer: string,
    after: () => Promise<void>): Promise<string> {
    const freeradius = await startFreeRadius({ secret: 'accounting-secret', users: [], accounting: 'answer', debug: true,
      netns: link.authenticator.ns, originate: { packet, port: dasPort, attributes, radsec: { ca: pki.files.ca,
        clientCert: pki.files.clientCert, clientKey: pki.files.clientKey, clientKeyPassword: CLIENT_KEY_PASSWORD } } });
    try {
      const secretFile = join(files.path, 'accounting-secret');
      writeFileSync(secretFile, 'accounting-secret\n', { mode: 0o600 });
      const acct = await eaphostIn(link.authenticator.ns, ['acct', 'update', '--radius', `127.0.0.1:${freeradius.acctPort}`,
        '--secret-file', secretFile, '--identity', user.identity, '--session-id', sessionId, '--calling-station-id', stationId(),
        '--nas-identifier', 'port-under-test']);
      assert.equal(acct.code, 0, `${acct.stdout}\n${acct.stderr}`);
      await after().catch((error: Error) => assert.fail(`${error.message}\nFreeRADIUS:\n${freeradius.log().slice(-6000)}`));
      // FreeRADIUS's own word: its TLS connection to the home server, the request on it and the answer it read.
      const seen = await freeradius.logUntil(0, new RegExp(`Received ${answer} Id \\d+`));
      assert.match(seen, new RegExp(`Listening on proxy \\(127\\.0\\.0\\.1, \\d+\\) -> home_server \\(127\\.0\\.0\\.1, ${dasPort}\\)`));
      const request = packet === 'coa' ? 'CoA-Request' : 'Disconnect-Request';
      const sent = new RegExp(`Sent ${request} Id (\\d+) from 127\\.0\\.0\\.1:(\\d+) to 127\\.0\\.0\\.1:${dasPort}`).exec(seen);
      assert.ok(sent, `the ${request} sent over the TLS connection`);
      assert.match(seen, new RegExp(`Received ${answer} Id ${sent[1]} from 127\\.0\\.0\\.1:${dasPort} to 127\\.0\\.0\\.1:${sent[2]}`));
      return seen;
    } finally {
      await freeradius.stop();
    }
  }

  it('FreeRADIUS 3.2 originates the Disconnect-Request over RadSec (a `type = coa` home server over TLS) on an Accounting-Request: ' +
    'the port ends the session', async () => {
    const first = await authenticate();
    await originated('disconnect', [], first.sessionId!, 'Disconnect-ACK', async () => {
      const ended = await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === station);
      assert.match(ended.reason ?? '', /Disconnect-Request \(RFC 5176\) from (?:::ffff:)?127\.0\.0\.1$/);
    });
  });

  it('FreeRADIUS 3.2 originates a CoA-Request (Session-Timeout 1) over RadSec: CoA-ACK, and the station re-authenticates ' +
    'a second later, the port staying authorized', async () => {
    const first = await authenticate();
    const mark = supplicant!.log().length;
    await originated('coa', ['&Session-Timeout = 1'], first.sessionId!, 'CoA-ACK', async () => {
      for (let waited = 0; !/CTRL-EVENT-EAP-STARTED[\s\S]*CTRL-EVENT-EAP-SUCCESS/.test(supplicant!.log().slice(mark)); waited += 50) {
        assert.ok(waited < 15_000, `wpa_supplicant never re-authenticated\n${supplicant!.log().slice(-2000)}`);
        await new Promise((done) => setTimeout(done, 50));
      }
      await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === station && e.sessionId !== first.sessionId);
    });
    assert.equal(eventsOf('unauthorized').length, 0, 'a re-authentication keeps the port authorized');
  });

  it('a client whose address no --das-client holds: Protocol-Error with Error-Cause 406 over TLS and DTLS, and the session stays', async () => {
    await authenticate();
    for (const transport of ['tls', 'dtls']) {
      const run = await disconnect('::1', ['--calling-station-id', stationId()], transport);
      assert.equal(run.code, 3, `${transport}: ${run.stdout}\n${run.stderr}`);
      assert.match(JSON.parse(run.stdout).reason, /Protocol-Error \(RFC 7930\), its final answer: Error-Cause 406 \(Unsupported Extension\)/);
    }
    await new Promise((done) => setTimeout(done, 300));
    assert.equal(eventsOf('unauthorized').length, 0, 'the station was never disconnected');
  });
});
