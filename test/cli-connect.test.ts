/**
 * `eaphost connect` on the command line: usage errors exit 2 with a line saying why (never a
 * backend run), and each outcome prints in words with its next step and its exit code.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMain } from './support/cli-run';
import * as os from 'node:os';
import { connectExitCode, eventLine, outcomeJson, outcomeLines } from '../lib/cli/commands/connect/connect';
import { categoryWords } from '../lib/profile/connect/words';
import type { ConnectOutcome } from '../lib/profile/connect/outcome';
import { CATEGORIES } from './support/connect-categories';

const wifiOnly = JSON.stringify({ version: 1, networks: [{ type: 'wifi', ssid: 'eduroam' }], eap: [{ method: 'peap' }] });

describe('eaphost connect: usage errors exit 2 with the reason', () => {
  const cases: [string, string[], RegExp][] = [
    ['neither --profile nor --name', [], /--profile FILE or --name NAME is required/],
    ['both --profile and --name', ['--profile', 'p.json', '--name', 'eduroam'], /give --profile or --name, not both/],
    ['--install with --name', ['--name', 'eduroam', '--install'], /--install applies to --profile/],
    ['a timeout of 0', ['--name', 'eduroam', '--timeout', '0'], /--timeout must be a whole number above 0/],
    ['a timeout that is not a number', ['--name', 'eduroam', '--timeout', '5s'], /--timeout must be a whole number/],
    ['a timeout over an hour', ['--name', 'eduroam', '--timeout', '3600001'], /at most 3600000/],
    ['an unknown network kind', ['--name', 'eduroam', '--network', 'ethernet'], /--network must be wifi or wired/],
    ['credentials with --name', ['--name', 'eduroam', '--identity', 'alice'], /--identity and --password go with --profile/],
    ['an empty --name', ['--name', ''], /--name must not be empty/],
    ['a flag connect does not take', ['--name', 'eduroam', '--radius', '127.0.0.1'], /radius/],
    ['a profile file that is not there', ['--profile', path.join('no', 'such', 'profile.json')], /--profile .*cannot read it \(ENOENT\)/],
  ];
  for (const [what, argv, message] of cases) {
    it(`refuses ${what}`, async () => {
      const run = await runMain(['connect', ...argv]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /eaphost connect --help/);
      assert.equal(run.stdout, '');
    });
  }

  it('refuses a profile that is not one, and a network the profile lacks, naming the field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-connect-'));
    try {
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, '{"version": 1, "networks": []}');
      const run = await runMain(['connect', '--profile', bad]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--profile .*bad\.json: networks: must be a non-empty array/);
      const wifi = path.join(dir, 'wifi.json');
      fs.writeFileSync(wifi, wifiOnly);
      const wired = await runMain(['connect', '--profile', wifi, '--network', 'wired', '--password-file', path.join(dir, 'none')]);
      assert.equal(wired.code, 2);
      assert.match(wired.stderr, /--password-file/);
      const lacking = await runMain(['connect', '--profile', wifi, '--network', 'wired']);
      assert.equal(lacking.code, 2);
      assert.match(lacking.stderr, /--profile: networks: has no wired network/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers --help with both forms and exit 0', async () => {
    const run = await runMain(['connect', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /eaphost connect --profile FILE/);
    assert.match(run.stdout, /eaphost connect --name NAME/);
  });
});

function outcome(category: ConnectOutcome['category']): ConnectOutcome {
  const words = categoryWords(category);
  return {
    connected: category === 'connected', authenticated: ['connected', 'authenticated', 'no-address'].includes(category), category, method: 'peap', elapsedMs: 3210, interface: 'eth0', via: 'networkmanager',
    codes: category === 'connected' ? [] : [{ source: 'nm-device-reason', value: 7, name: 'NM_DEVICE_STATE_REASON_NO_SECRETS' },
      { source: 'eap-error', value: 0x80420111, name: 'EAP_E_USER_CREDENTIALS_REJECTED' },
      { source: 'wpa-eap-status', value: 'completion failure' }],
    ...words,
  };
}

describe('eaphost connect: the outcome in words', () => {
  it('exits 0 connected or authenticated as asked, 3 when nothing refused but the machine is not on, 1 for every refusal', () => {
    const expected: Record<string, number> = { connected: 0, authenticated: 0, timeout: 3, 'no-authenticator': 3, 'no-address': 3, interrupted: 3 };
    for (const category of CATEGORIES) assert.equal(connectExitCode(category), expected[category] ?? 1, category);
  });

  it('prints what happened, the raw codes and the next step for each category', () => {
    for (const category of CATEGORIES) {
      const lines = outcomeLines(outcome(category));
      const words = categoryWords(category);
      assert.ok(lines.includes(words.message), category);
      if (category === 'connected' || category === 'authenticated') {
        assert.match(lines[0], new RegExp(`^${category} \\(on eth0, via networkmanager, method peap, after 3\\.2 s\\)$`));
        assert.ok(!lines.some((line) => line.startsWith('next:')));
      } else {
        assert.equal(lines[0], `not connected: ${category} (on eth0, via networkmanager, method peap, after 3.2 s)`);
        assert.ok(lines.includes(`next: ${words.nextStep}`), category);
        assert.ok(lines.includes('codes: nm-device-reason 7 NM_DEVICE_STATE_REASON_NO_SECRETS; ' +
          'eap-error 0x80420111 EAP_E_USER_CREDENTIALS_REJECTED; wpa-eap-status "completion failure"'), lines.join('\n'));
      }
    }
  });

  it('prints one JSON object with connected, category, method, codes and elapsedMs, and null for what is unknown', () => {
    const refused = JSON.parse(outcomeJson({ ...outcome('credentials-rejected'), method: undefined, interface: undefined }));
    assert.deepEqual(Object.keys(refused), ['connected', 'authenticated', 'category', 'method', 'codes', 'elapsedMs', 'interface', 'via', 'message', 'nextStep']);
    assert.equal(refused.connected, false);
    assert.equal(refused.authenticated, false);
    assert.equal(refused.method, null);
    assert.equal(refused.interface, null);
    assert.deepEqual(refused.codes[1], { source: 'eap-error', value: 0x80420111, name: 'EAP_E_USER_CREDENTIALS_REJECTED' });
    const connected = JSON.parse(outcomeJson(outcome('connected')));
    assert.equal(connected.connected, true);
    assert.equal(connected.authenticated, true);
    const noAddress = JSON.parse(outcomeJson(outcome('no-address')));
    assert.deepEqual([noAddress.connected, noAddress.authenticated], [false, true]);
    assert.equal(connected.method, 'peap');
    assert.equal('nextStep' in connected, false);
  });

  it('prints one line per state change with its time, method, detail and code', () => {
    assert.equal(eventLine({ state: '802.1x-started', elapsedMs: 1234 }), '[  1.2 s] 802.1X started');
    assert.equal(eventLine({ state: 'method', method: 'peap', elapsedMs: 1500 }), '[  1.5 s] method peap');
    assert.equal(eventLine({ state: 'failed', elapsedMs: 12_000, detail: 'need-auth',
      code: { source: 'nm-device-reason', value: 7, name: 'NM_DEVICE_STATE_REASON_NO_SECRETS' } }),
    '[ 12.0 s] failed (need-auth; nm-device-reason 7 NM_DEVICE_STATE_REASON_NO_SECRETS)');
  });
});
