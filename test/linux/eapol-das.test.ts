/**
 * Our EAPOL authenticator port as a Dynamic Authorization Server (RFC 5176), judged by real peers:
 * `eaphost serve --interface … --das` in one network namespace of a veth pair this test makes,
 * wpa_supplicant -Dwired (EAP-MD5) authenticated through it from the other, and FreeRADIUS's
 * radclient sending Disconnect-Request and CoA-Request to the port from the authenticator's
 * namespace. radclient checks our replies' Response Authenticator itself; the station's fate is
 * read from wpa_supplicant's own events and `wpa_cli status`. A replay is the same datagram sent
 * again, byte for byte, made here with node:crypto.
 */
import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inNamespace, makeWiredLink, randomMac, WiredLink } from '../support/netns';
import { runRadclient } from '../support/cli-run';
import { Daemon, findProgram, makeTempDir, runProgram } from '../support/programs';
import { eventFor, md5Network, PortEvent, servePort, someone, startWiredSupplicant } from '../support/wired-8021x';

const DAS_PORT = 3799;

describe('the EAPOL port as a Dynamic Authorization Server: radclient against serve --interface --das, wpa_supplicant on the wire', function () {
  this.timeout(120_000);
  const user = someone();
  const secret = randomBytes(12).toString('hex');
  let files: { path: string; remove(): void };
  let link: WiredLink;
  let port: Awaited<ReturnType<typeof servePort>>;
  let supplicant: Daemon | undefined;
  let station: string;
  const wpaControl = (): string => join(files.path, 'wpa-ctrl');

  before(async () => {
    findProgram(['radclient'], 'freeradius-utils');
    files = makeTempDir('eapol-das');
    writeFileSync(join(files.path, 'das-secret'), `${secret}\n`, { mode: 0o600 });
    const users = join(files.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
    link = await makeWiredLink();
    port = await servePort(link, ['--users', users, '--methods', 'md5', '--nas-identifier', 'port-under-test',
      '--das', `127.0.0.1:${DAS_PORT}`, '--das-secret-file', join(files.path, 'das-secret')]);
    const listening = port.events().find((event) => event.event === 'listening') as PortEvent & { das?: { port: number } };
    assert.equal(listening?.das?.port, 3799);
  });
  after(async () => {
    await supplicant?.stop();
    await port?.stop();
    await link?.remove();
    files?.remove();
  });

  /** A new station (new MAC) authenticated by wpa_supplicant, which stays up; its authorized event. */
  async function authenticate(): Promise<PortEvent> {
    await supplicant?.stop();
    station = await link.newSupplicantAddress();
    supplicant = await startWiredSupplicant(link.supplicant.ns, link.supplicant.ifname, wpaControl(), md5Network(user));
    return eventFor(port, (e) => e.event === 'authorized' && e.supplicant === station);
  }

  /** wpa_cli status of the station, as key=value pairs. */
  async function wpaStatus(): Promise<Record<string, string>> {
    const [program, args] = inNamespace(link.supplicant.ns, findProgram(['wpa_cli'], 'wpasupplicant'),
      ['-p', wpaControl(), '-i', link.supplicant.ifname, 'status', 'verbose']);
    const run = await runProgram(program, args, { timeoutMs: 10_000 });
    return Object.fromEntries(run.stdout.split('\n').filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  /** radclient in the authenticator's namespace; its exit code and output (-x prints what it received). */
  async function radclient(command: 'disconnect' | 'coa', attributes: string[], options: { secret?: string; signed?: boolean } = {}):
      Promise<{ code: number | null; output: string }> {
    const lines = [...attributes, `Event-Timestamp = ${Math.floor(Date.now() / 1000)}`,
      ...(options.signed === false ? [] : ['Message-Authenticator = 0x00'])];
    return runRadclient(DAS_PORT, options.secret ?? secret, command, `${lines.join('\n')}\n`, 2, link.authenticator.ns);
  }

  async function waitFor(test: () => boolean, what: string, ms = 15_000): Promise<void> {
    for (let waited = 0; waited < ms; waited += 50) {
      if (test()) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    assert.fail(`${what}: not within ${ms / 1000} s\n${supplicant?.log().slice(-2000)}\n${port.log().slice(-2000)}`);
  }

  const stationId = (): string => station.toUpperCase().replace(/:/g, '-');
  const eventsOf = (kind: string): PortEvent[] => port.events().filter((e) => e.event === kind && e.supplicant === station);

  it('Disconnect-Request (User-Name, Calling-Station-Id, Acct-Session-Id): ACK; the port is unauthorized and the supplicant authenticates anew', async () => {
    const first = await authenticate();
    assert.match(first.sessionId ?? '', /^[0-9A-F]{16}$/);
    const mark = supplicant!.log().length;
    const run = await radclient('disconnect', [`User-Name = "${user.identity}"`, `Calling-Station-Id = "${stationId()}"`,
      `Acct-Session-Id = "${first.sessionId}"`, 'NAS-Identifier = "port-under-test"']);
    assert.equal(run.code, 0, run.output + port.log().slice(-2000));
    assert.match(run.output, /Received Disconnect-ACK/);
    const ended = await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === station);
    assert.match(ended.reason ?? '', /Disconnect-Request/);
    // What the supplicant sees: the EAP-Failure restarts its EAP state (RFC 4137; a Failure its new
    // state never asked for is discarded), and the Request/Identity after it a new authentication.
    await waitFor(() => /CTRL-EVENT-EAP-STARTED[\s\S]*CTRL-EVENT-EAP-SUCCESS/.test(supplicant!.log().slice(mark)),
      'wpa_supplicant runs a new authentication');
    await waitFor(() => eventsOf('authorized').length === 2, 'the port authorizes the new session');
    const second = eventsOf('authorized')[1];
    assert.notEqual(second.sessionId, first.sessionId, 'a new session, a new Acct-Session-Id');
    const status = await wpaStatus();
    assert.deepEqual([status['Supplicant PAE state'], status['EAP state'], status.suppPortStatus], ['AUTHENTICATED', 'SUCCESS', 'Authorized']);

    // The old session is gone: the same Acct-Session-Id now names none.
    const again = await radclient('disconnect', [`Acct-Session-Id = "${first.sessionId}"`]);
    assert.match(again.output, /Received Disconnect-NAK[\s\S]*Error-Cause = Session-Context-Not-Found/, again.output);
  });

  it('a Disconnect-Request for a station the port does not know: NAK 503; for another NAS: NAK 403', async () => {
    await authenticate();
    const unknown = await radclient('disconnect', [`Calling-Station-Id = "${randomMac()}"`]);
    assert.match(unknown.output, /Received Disconnect-NAK[\s\S]*Error-Cause = Session-Context-Not-Found/, unknown.output);
    const elsewhere = await radclient('disconnect', [`Calling-Station-Id = "${stationId()}"`, 'NAS-Identifier = "another-port"']);
    assert.match(elsewhere.output, /Received Disconnect-NAK[\s\S]*Error-Cause = NAS-Identification-Mismatch/, elsewhere.output);
    const unsupported = await radclient('disconnect', [`Calling-Station-Id = "${stationId()}"`, 'Framed-IP-Address = 192.0.2.7']);
    assert.match(unsupported.output, /Received Disconnect-NAK[\s\S]*Error-Cause = Unsupported-Attribute/, unsupported.output);
    assert.equal(eventsOf('unauthorized').length, 0, 'the station was never disconnected');
    assert.equal((await wpaStatus()).suppPortStatus, 'Authorized');
  });

  it('a wrong secret and an unsigned request (no Message-Authenticator) get no answer and change nothing', async () => {
    await authenticate();
    const wrong = await radclient('disconnect', [`Calling-Station-Id = "${stationId()}"`], { secret: `${secret}x` });
    assert.match(wrong.output, /No reply from server/, wrong.output);
    const unsigned = await radclient('disconnect', [`Calling-Station-Id = "${stationId()}"`], { signed: false });
    assert.match(unsigned.output, /No reply from server/, unsigned.output);
    assert.equal(eventsOf('unauthorized').length, 0);
    assert.equal((await wpaStatus()).suppPortStatus, 'Authorized');
  });

  it('CoA-Request Session-Timeout: ACK, and the station re-authenticates when it runs out', async () => {
    await authenticate();
    const mark = supplicant!.log().length;
    const run = await radclient('coa', [`Calling-Station-Id = "${stationId()}"`, 'Session-Timeout = 1']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Received CoA-ACK/);
    await waitFor(() => /CTRL-EVENT-EAP-STARTED[\s\S]*CTRL-EVENT-EAP-SUCCESS/.test(supplicant!.log().slice(mark)),
      'wpa_supplicant re-authenticates after the new Session-Timeout');
    await waitFor(() => eventsOf('authorized').length >= 2, 'the port authorizes it again');
    assert.equal(eventsOf('unauthorized').length, 0, 'a re-authentication keeps the port authorized');
  });

  it('CoA-Request Authorize Only with State: CoA-NAK 507 Request Initiated (RFC 5176 §3.2), and a re-authentication now', async () => {
    await authenticate();
    const mark = supplicant!.log().length;
    // User-Name alone names every station this user authenticated on the port: 508, as hostapd.
    const several = await radclient('coa', [`User-Name = "${user.identity}"`, 'Service-Type = Authorize-Only', 'State = 0x0badcafe']);
    assert.match(several.output, /Received CoA-NAK[\s\S]*Error-Cause = Multiple-Session-Selection-Unsupported/, several.output);
    const run = await radclient('coa', [`User-Name = "${user.identity}"`, `Calling-Station-Id = "${stationId()}"`,
      'Service-Type = Authorize-Only', 'State = 0x0badcafe']);
    assert.match(run.output, /Received CoA-NAK[\s\S]*Service-Type = Authorize-Only[\s\S]*Error-Cause = Request-Initiated/, run.output);
    await waitFor(() => /CTRL-EVENT-EAP-STARTED[\s\S]*CTRL-EVENT-EAP-SUCCESS/.test(supplicant!.log().slice(mark)),
      'wpa_supplicant re-authenticates');
    const service = await radclient('coa', [`User-Name = "${user.identity}"`, 'Service-Type = Framed-User']);
    assert.match(service.output, /Received CoA-NAK[\s\S]*Error-Cause = Unsupported-Service/, service.output);
  });

  it('a replayed Disconnect-Request (the same datagram again) is answered as the first was and not carried out again', async () => {
    await authenticate();
    const datagram = disconnectDatagram(secret, stationId());
    const [first, second] = await sendTwice(datagram);
    assert.equal(first[0], 41, 'Disconnect-ACK');
    await waitFor(() => eventsOf('authorized').length === 2, 'the station authenticates again after the Disconnect');
    const [third] = await sendTwice(datagram, 1);
    assert.ok(second.equals(first) && third.equals(first), 'the first answer, byte for byte');
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(eventsOf('unauthorized').length, 1, 'one disconnect, not three');
    assert.equal((await wpaStatus()).suppPortStatus, 'Authorized');
  });

  /** A signed Disconnect-Request (RFC 5176 §3, §3.3), made with node:crypto. */
  function disconnectDatagram(key: string, callingStationId: string): Buffer {
    const attribute = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt32BE(Math.floor(Date.now() / 1000));
    const body = Buffer.concat([attribute(80, Buffer.alloc(16)), attribute(31, Buffer.from(callingStationId)), attribute(55, stamp)]);
    const packet = Buffer.concat([Buffer.from([40, randomBytes(1)[0], 0, 0]), Buffer.alloc(16), body]);
    packet.writeUInt16BE(packet.length, 2);
    createHmac('md5', key).update(packet).digest().copy(packet, 22);
    createHash('md5').update(packet).update(key).digest().copy(packet, 4);
    return packet;
  }

  /** Sends `datagram` `times` times from the authenticator's namespace, one after the other's answer; the answers. */
  async function sendTwice(datagram: Buffer, times = 2): Promise<Buffer[]> {
    const script = `const s=require('dgram').createSocket('udp4');const d=Buffer.from(process.argv[1],'hex');let n=${times};` +
      `const out=[];s.on('message',(m)=>{out.push(m.toString('hex'));if(--n>0)s.send(d,3799,'127.0.0.1');` +
      `else{console.log(out.join(' '));process.exit(0);}});s.send(d,3799,'127.0.0.1');setTimeout(()=>{console.log(out.join(' '));process.exit(1)},5000);`;
    const [program, args] = inNamespace(link.authenticator.ns, process.execPath, ['-e', script, datagram.toString('hex')]);
    const run = await runProgram(program, args, { timeoutMs: 10_000 });
    assert.equal(run.code, 0, `answers to each: ${run.stdout} ${run.stderr}`);
    return run.stdout.trim().split(' ').map((hex) => Buffer.from(hex, 'hex'));
  }
});
