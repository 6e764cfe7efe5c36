/**
 * `eaphost serve --interface` against a hostile link, in network namespaces made per test: an
 * EAPOL-Start flood from one MAC (written raw by test/fixtures/eapol_start_flood.c, as fast as
 * asked up to what the machine manages) must not grow the port's memory past twice its idle
 * size, and a real wpa_supplicant authenticates right after it; a flood of Starts from random
 * MACs must not spend the start budget a real wpa_supplicant needs while it runs; spoofed MACs
 * answering the identity request must not hold every half-open slot against a real wpa_supplicant.
 * The port's metrics (--metrics) count the random flood as its sender counted it.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promtoolCheck, sampleOf } from '../support/exposition';
import { InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { inNamespace, makeWiredLink, randomMac, WiredLink } from '../support/netns';
import { findProgram, makeTempDir, quoteConfigString, runProgram } from '../support/programs';
import { runWpaSupplicant, servePort, someone, WpaSupplicantRun } from '../support/wired-8021x';

const FLOOD_SOURCE = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'eapol_start_flood.c');
const FLOOD_SECONDS = 10;
const FLOOD_RATE = 200_000;
const RANDOM_FLOOD_RATE = 1_000;
const RANDOM_FLOOD_RUNS = 5;

/** The resident set of process `pid`, in bytes. */
function residentBytes(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(line, `no VmRSS for process ${pid}`);
  return Number(line[1]) * 1024;
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

describe('802.1X authenticator port on a hostile link (eaphost serve --interface)', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  let dir: { path: string; remove(): void };
  let link: WiredLink | undefined;
  let port: Awaited<ReturnType<typeof servePort>> | undefined;
  const user = someone();

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('eapol-hostile');
    writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ [user.identity]: { password: user.password } }));
  });
  after(() => {
    pki?.remove();
    dir?.remove();
  });
  afterEach(async () => {
    await port?.stop();
    await link?.remove();
    port = link = undefined;
  });

  const startPort = async (extra: string[] = []): Promise<NonNullable<typeof port>> => {
    link = await makeWiredLink();
    port = await servePort(link, ['--users', join(dir.path, 'users.json'), '--methods', 'peap,mschapv2',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, ...extra]);
    return port;
  };
  const buildFlooder = async (): Promise<string> => {
    const flooder = join(dir.path, 'eapol_start_flood');
    const built = await runProgram(findProgram(['cc', 'gcc'], 'gcc'), ['-O2', '-o', flooder, FLOOD_SOURCE], { timeoutMs: 60_000 });
    assert.equal(built.code, 0, built.stderr);
    return flooder;
  };
  /** The sender's last line: {"sent":N,"seconds":S}. */
  const floodReport = (report: string): { sent: number; seconds: number } =>
    JSON.parse(report.trim().split('\n').pop() ?? '') as { sent: number; seconds: number };
  const peapNetwork = (): string[] => [
    'eap=PEAP', `identity=${quoteConfigString(user.identity)}`, `password=${quoteConfigString(user.password)}`,
    `ca_cert="${pki.files.ca}"`, `domain_match="${SERVER_NAME}"`, 'phase2="auth=MSCHAPV2"',
  ];

  it(`an EAPOL-Start flood from one MAC (${FLOOD_RATE} frames/s asked, ${FLOOD_SECONDS} s): memory stays within 2× of idle, and a supplicant authenticates after`, async () => {
    const flooder = await buildFlooder();
    const serving = await startPort();
    await new Promise((done) => setTimeout(done, 1000));
    const idle = residentBytes(serving.pid);

    const [program, args] = inNamespace(link!.supplicant.ns, flooder,
      [link!.supplicant.ifname, String(FLOOD_SECONDS), String(FLOOD_RATE), randomMac().replace(/:/g, '')]);
    const flood = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let report = '';
    flood.stdout.on('data', (chunk) => { report += chunk; });
    flood.stderr.on('data', (chunk) => { report += chunk; });
    const flooded = new Promise<number | null>((done) => flood.on('exit', done));
    let peak = idle;
    let ended = false;
    void flooded.then(() => { ended = true; });
    while (!ended) {
      peak = Math.max(peak, residentBytes(serving.pid));
      await new Promise((done) => setTimeout(done, 200));
    }
    assert.equal(await flooded, 0, report);
    const { sent, seconds } = floodReport(report);
    // After the flood: the port answers a real supplicant at once, and holds no more than before.
    await link!.newSupplicantAddress();
    const run = await runWpaSupplicant(link!.supplicant.ns, link!.supplicant.ifname, peapNetwork(), 20_000);
    const after = residentBytes(serving.pid);
    peak = Math.max(peak, after);
    const figures = `idle ${mb(idle)}, peak ${mb(peak)}, after ${mb(after)}; ${sent} EAPOL-Starts in ${seconds} s ` +
      `(${Math.round(sent / seconds)}/s)`;
    process.stdout.write(`      ${figures}\n`);
    assert.equal(run.outcome, 'success', `${figures}\n${run.log.slice(-2000)}${serving.log().slice(-2000)}`);
    assert.ok(peak <= 2 * idle, figures);
  });

  /** The port's /metrics, read from inside its namespace, where it listens on the loopback. */
  const scrape = async (url: string): Promise<string> => {
    const [program, args] = inNamespace(link!.authenticator.ns, process.execPath,
      ['-e', 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))', url]);
    const run = await runProgram(program, args, { timeoutMs: 10_000 });
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };
  const metricsUrl = (): string => {
    const url = port!.events().find((event) => event.event === 'listening')?.metrics;
    assert.ok(url, port!.log().slice(-2000));
    return url;
  };
  /** What a supplicant that got nowhere leaves to read: the port's own counts (did its frames arrive,
   *  overflow the queue to the event loop, meet a bound?) and the EAPOL frames wpa_supplicant says
   *  it sent and received. */
  const whyNot = async (run: number, runs: number, supplicant: WpaSupplicantRun): Promise<string> => {
    const counts = await scrape(metricsUrl()).then(
      (text) => text.split('\n').filter((line) => line.startsWith('eaphost_eapol_')).join('\n'),
      (error: Error) => `the port's metrics unreadable: ${error.message}`);
    const frames = supplicant.log.split('\n').filter((line) => /EAPOL|EAP:|CTRL-EVENT/.test(line)).slice(-60).join('\n');
    return `run ${run} of ${runs}: ${supplicant.outcome}\nthe port's counts:\n${counts}\nwpa_supplicant:\n${frames}\n` +
      `the port:\n${port!.log().slice(-2000)}`;
  };

  /** While the sender floods with `mode` from random MACs, `runs` real wpa_supplicants each
   *  authenticate on a station of their own; the sender's report. */
  const supplicantsThroughFlood = async (mode: string[], runs: number): Promise<{ sent: number; seconds: number }> => {
    const flooder = await buildFlooder();
    await startPort(['--metrics', '127.0.0.1:0']);
    const [program, args] = inNamespace(link!.supplicant.ns, flooder,
      [link!.supplicant.ifname, '600', String(RANDOM_FLOOD_RATE), 'random', ...mode]);
    const flood = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let report = '';
    flood.stdout.on('data', (chunk) => { report += chunk; });
    flood.stderr.on('data', (chunk) => { report += chunk; });
    const flooded = new Promise<void>((done) => flood.on('exit', () => done()));
    try {
      // The sender says when its first frames are out; each supplicant then runs on a station of
      // its own (a new MAC, a macvlan) while the flood goes on from the lower interface.
      await new Promise<void>((ready, fail) => {
        flood.stdout.on('data', () => { if (report.includes('"flooding"')) ready(); });
        flood.on('exit', (code) => fail(new Error(`the flood ended (${code}) before it began: ${report}`)));
      });
      for (let run = 1; run <= runs; ++run) {
        const station = await link!.addStation();
        const outcome = await runWpaSupplicant(link!.supplicant.ns, station.ifname, peapNetwork(), 20_000, { debug: true });
        assert.equal(flood.exitCode, null, `the flood stopped during run ${run}: ${report}`);
        if (outcome.outcome !== 'success') assert.fail(await whyNot(run, runs, outcome));
      }
    } finally {
      flood.kill('SIGTERM');
      await flooded;
    }
    return floodReport(report);
  };

  it(`a flood of EAPOL-Starts from random MACs (${RANDOM_FLOOD_RATE} frames/s) keeps no real wpa_supplicant out: ${RANDOM_FLOOD_RUNS} of ${RANDOM_FLOOD_RUNS}`, async () => {
    const { sent, seconds } = await supplicantsThroughFlood([], RANDOM_FLOOD_RUNS);
    process.stdout.write(`      ${sent} EAPOL-Starts from random MACs in ${seconds} s (${Math.round(sent / seconds)}/s)\n`);
  });

  /** After a flood (`mode`) with `runs` supplicants through it: the port's metrics once they have settled,
   *  checked by promtool, and a reader of their samples. */
  const metricsAfterFlood = async (mode: string[], runs: number) => {
    const { sent } = await supplicantsThroughFlood(mode, runs);
    const url = metricsUrl();
    // The sender has stopped; the port has read what it sent once two scrapes a moment apart agree on
    // what the frames in (not the port's own retransmissions) made.
    const inbound = (text: string): string => [sampleOf(text, 'eaphost_eapol_frames_total', { outcome: 'received' }),
      sampleOf(text, 'eaphost_eapol_frames_total', { outcome: 'overflow' }), sampleOf(text, 'eaphost_eapol_identity_requests_total'),
      sampleOf(text, 'eaphost_eapol_refused_total')].join(',');
    let exposition = await scrape(url);
    for (let look = 0; look < 40; ++look) {
      await new Promise((done) => setTimeout(done, 250));
      const next = await scrape(url);
      const settled = inbound(next) === inbound(exposition);
      exposition = next;
      if (settled) break;
    }
    const checked = await promtoolCheck(exposition);
    assert.equal(checked.code, 0, checked.output);
    const count = (name: string, labels: Record<string, string> = {}): number => {
      const value = sampleOf(exposition, name, labels);
      assert.ok(value !== undefined, `no ${name} ${JSON.stringify(labels)} in\n${exposition}`);
      return value;
    };
    const frames = (outcome: string): number => count('eaphost_eapol_frames_total', { outcome });
    const figures = `the sender's ${sent}; frames received ${frames('received')}, sent ${frames('sent')}, kernel ${frames('kernel')}, ` +
      `overflow ${frames('overflow')}; identity requests ${count('eaphost_eapol_identity_requests_total')}, strangers refused ` +
      `${count('eaphost_eapol_refused_total', { bound: 'strangers' })}`;
    process.stdout.write(`      ${figures}\n`);
    // Every frame the sender sent reached the port's socket or was counted dropped by the kernel; beside
    // them only the supplicants' own (a PEAP conversation's responses, a few dozen each).
    const arrived = frames('received') + frames('kernel');
    assert.ok(arrived >= sent && arrived <= sent + 100 * runs, figures);
    assert.equal(frames('malformed'), 0, figures);
    assert.equal(count('eaphost_eapol_authorized'), runs, figures);
    return { sent, count, frames, figures };
  };

  it('its metrics (--metrics) count an EAPOL-Start flood as the sender counted it: a Request/Identity each', async () => {
    const runs = 2;
    const { sent, count, frames, figures } = await metricsAfterFlood([], runs);
    // Each Start came from a MAC of its own: each is a Request/Identity sent, unless the queue to the
    // event loop was full or the kernel dropped it; the supplicants' own Starts are one each.
    const answered = count('eaphost_eapol_identity_requests_total') + frames('overflow') + frames('kernel');
    assert.ok(answered >= sent && answered <= sent + 2 * runs, figures);
    assert.ok(frames('sent') >= count('eaphost_eapol_identity_requests_total'), figures);
    assert.equal(count('eaphost_eapol_refused_total', { bound: 'identity_rate' }), 0, figures);
    assert.equal(count('eaphost_eapol_half_open'), 0, figures);
  });

  it('its metrics count a flood of strangers\' Responses/Identity as refused, with nothing sent to most of them', async () => {
    const runs = 2;
    const { sent, count, frames, figures } = await metricsAfterFlood(['identity'], runs);
    // Only the supplicants' Starts asked for a Request/Identity; the strangers' own budget is a tenth of
    // --max-starts (10 a second), so nearly all of them were refused, and the port answered few.
    assert.equal(count('eaphost_eapol_identity_requests_total'), runs, figures);
    assert.ok(count('eaphost_eapol_refused_total', { bound: 'strangers' }) >= 0.9 * sent, figures);
    assert.ok(frames('sent') < 0.2 * frames('received'), figures);
  });

  // Before, the strangers' Responses/Identity spent the conversation budget (100/s) a real
  // supplicant's own answer needs: 1 of 3 served at 150/s, 0 of 3 at 1,000/s.
  it(`a flood of Responses/Identity from random MACs (${RANDOM_FLOOD_RATE} frames/s) keeps no real wpa_supplicant out: 3 of 3`, async () => {
    const { sent, seconds } = await supplicantsThroughFlood(['identity'], 3);
    process.stdout.write(`      ${sent} Responses/Identity from random MACs in ${seconds} s (${Math.round(sent / seconds)}/s)\n`);
  });

  it('40 spoofed MACs answering the identity request do not keep a real wpa_supplicant out', async () => {
    const serving = await startPort();
    // The spoofed stations: a Response/Identity each, in turn, ~20 frames/s, from the lower
    // interface; the real supplicant on a station of its own (a macvlan), which hears none of the
    // requests sent to the spoofed MACs.
    const station = await link!.addStation();
    const macs = Array.from({ length: 40 }, () => randomMac().replace(/:/g, ''));
    const spoof = `
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
identity = b'spoofed'
body = bytes([2, 0, 0, 5 + len(identity), 1]) + identity
frame_of = lambda mac: bytes.fromhex('0180c2000003') + bytes.fromhex(mac) + b'\\x88\\x8e' + bytes([2, 0, 0, len(body)]) + body
frames = [frame_of(mac) for mac in sys.argv[2].split(',')]
while True:
    for frame in frames:
        s.send(frame)
        time.sleep(0.05)
`;
    const [program, args] = inNamespace(link!.supplicant.ns, findProgram(['python3'], 'python3'),
      ['-c', spoof, link!.supplicant.ifname, macs.join(',')]);
    const spoofer = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let spoofErrors = '';
    spoofer.stderr.on('data', (chunk) => { spoofErrors += chunk; });
    const spoofing = new Promise<void>((done) => spoofer.on('exit', () => done()));
    try {
      // Every spoofed MAC has had its turn (40 × 50 ms): the 32 half-open slots are taken.
      await new Promise((done) => setTimeout(done, 3000));
      assert.equal(spoofer.exitCode, null, spoofErrors);
      const run = await runWpaSupplicant(link!.supplicant.ns, station.ifname, peapNetwork(), 20_000);
      assert.equal(run.outcome, 'success', `${run.log.slice(-2000)}${serving.log().slice(-2000)}${spoofErrors}`);
    } finally {
      spoofer.kill('SIGKILL');
      await spoofing;
    }
  });
});
