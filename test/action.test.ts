/**
 * The GitHub Action's entry (lib/action/run.ts, what action.yml runs) in a simulated runner: the
 * step's inputs as INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP files in
 * a temporary folder, the log collected. The outputs are read back with the runner's own rules
 * (name<<delimiter blocks), the summary table is held against the result file the action wrote,
 * and the password must appear nowhere but in its ::add-mask:: line. On Linux PEAP and
 * EAP-MSCHAPv2 run against the embedded authenticator; in the Wine lane (Windows node.exe, the
 * stand-in EAPHost in System32, the Windows backend as on windows-latest) EAP-MSCHAPv2 does, the
 * one the Windows build serves there.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_INPUTS, eapHostConfigOf, failureLine, runAction } from '../lib/action/run';
import { main } from '../lib/cli/main';

// '%' and a space: the mask must be escaped as a workflow command's data is (% is %25).
const PASSWORD = 'c0rrect %horse| battery';
const METHODS = process.platform === 'win32' ? ['mschapv2'] : ['peap', 'mschapv2'];
const TYPES: Record<string, number> = { peap: 25, mschapv2: 26 };

interface Step {
  code: number;
  log: string[];
  outputs: Map<string, string>;
  summary: string;
  files: string;
}

/** GITHUB_OUTPUT as the runner reads it: `name<<DELIMITER`, the value's lines, the delimiter alone on a line. */
function readOutputs(text: string): Map<string, string> {
  const outputs = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    assert.ok(heredoc, `GITHUB_OUTPUT line ${i + 1} is not name<<delimiter: ${lines[i]}`);
    const end = lines.indexOf(heredoc[2], i + 1);
    assert.ok(end > i, `no closing delimiter for ${heredoc[1]}`);
    assert.ok(!outputs.has(heredoc[1]), `${heredoc[1]} set twice`);
    outputs.set(heredoc[1], lines.slice(i + 1, end).join('\n'));
    i = end;
  }
  return outputs;
}

describe('the GitHub Action (action.yml) in a simulated runner', function () {
  const dirs: string[] = [];
  after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

  async function step(inputs: Record<string, string>): Promise<Step> {
    const files = mkdtempSync(join(tmpdir(), 'eaphost-action-test-'));
    dirs.push(files);
    const env: NodeJS.ProcessEnv = {
      GITHUB_OUTPUT: join(files, 'output'), GITHUB_STEP_SUMMARY: join(files, 'summary.md'), RUNNER_TEMP: files,
    };
    writeFileSync(env.GITHUB_OUTPUT!, '');
    writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    const log: string[] = [];
    const code = await runAction(env, { log: (line) => log.push(line) });
    return {
      code, log, files, outputs: readOutputs(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    };
  }

  function usersFile(password: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'eaphost-action-users-'));
    dirs.push(dir);
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ alice: { password } }));
    return file;
  }

  /** Every place the step wrote, but the ::add-mask:: line itself. */
  function everythingWritten(ran: Step): string {
    const result = ran.outputs.get('result');
    return [ran.log.filter((line) => !line.startsWith('::add-mask::')).join('\n'), readFileSync(join(ran.files, 'output'), 'utf8'),
      ran.summary, result && existsSync(result) ? readFileSync(result, 'utf8') : ''].join('\n');
  }

  for (const method of METHODS) {
    it(`${method}: outputs success, method, mppe-keys-match and the result file; the summary tables the conversation`, async () => {
      const ran = await step({ method, identity: 'alice', password: PASSWORD, users: usersFile(PASSWORD) });
      assert.equal(ran.code, 0, ran.log.join('\n'));
      assert.deepEqual([...ran.outputs.keys()].sort(), ['method', 'mppe-keys-match', 'result', 'success']);
      assert.equal(ran.outputs.get('success'), 'true');
      assert.equal(ran.outputs.get('method'), method);
      assert.equal(ran.outputs.get('mppe-keys-match'), 'true');
      const report = JSON.parse(readFileSync(ran.outputs.get('result')!, 'utf8'));
      assert.equal(report.success, true);
      assert.equal(report.identity, 'alice');
      assert.equal(report.eapType, TYPES[method]);

      // One table row per packet, in order, each packet's header as the result file records it.
      const rows = ran.summary.split('\n').filter((line) => /^\| \d+ \|/.test(line)).map((line) => line.split(' | ').map((c) => c.trim()));
      assert.equal(rows.length, report.conversation.length, ran.summary);
      assert.ok(rows.length >= 4, ran.summary);
      rows.forEach((row, i) => {
        const packet = report.conversation[i];
        assert.equal(row[1], packet.direction === 'in' ? 'authenticator → peer' : 'peer → authenticator');
        assert.equal(row[4], String(packet.identifier));
        assert.equal(row[5].replace(/ \|$/, ''), String(packet.length));
      });
      // RFC 3748: the authenticator asks for the identity first and ends with EAP-Success; the
      // method's own packets carry its type; a round is a request and its response.
      assert.deepEqual(rows[0].slice(1, 4), ['authenticator → peer', 'Request', 'Identity (1)']);
      assert.deepEqual(rows[1].slice(1, 4), ['peer → authenticator', 'Response', 'Identity (1)']);
      assert.deepEqual(rows[rows.length - 1].slice(1, 4), ['authenticator → peer', 'Success', '']);
      assert.ok(rows.some((row) => row[3] === `${{ peap: 'PEAP', mschapv2: 'EAP-MSCHAPv2' }[method]} (${TYPES[method]})`), ran.summary);
      assert.equal(Number(rows[rows.length - 1][0].replace(/^\| /, '')), report.roundTrips, ran.summary);
      assert.match(ran.summary, /^### eaphost: authenticated$/m);
    });
  }

  it('masks the password before anything else is written, and writes it nowhere', async () => {
    const ran = await step({ method: 'mschapv2', identity: 'alice', password: PASSWORD, users: usersFile(PASSWORD) });
    assert.equal(ran.code, 0, ran.log.join('\n'));
    assert.equal(ran.log[0], `::add-mask::${PASSWORD.replace('%', '%25')}`);
    assert.equal(ran.log.filter((line) => line.startsWith('::add-mask::')).length, 1);
    const written = everythingWritten(ran);
    assert.ok(!written.includes(PASSWORD), 'the password was written');
    assert.ok(!written.includes(PASSWORD.replace('%', '%25')), 'the password was written escaped');
  });

  it('a wrong password fails the step with the EAP error\'s words, and still reports', async () => {
    const ran = await step({ method: 'mschapv2', identity: 'alice', password: 'not the password', users: usersFile(PASSWORD) });
    assert.equal(ran.code, 1);
    assert.equal(ran.outputs.get('success'), 'false');
    const report = JSON.parse(readFileSync(ran.outputs.get('result')!, 'utf8'));
    assert.equal(report.result, 'reject');
    assert.ok(report.error?.rootCause, `the report carries EAPHost's typed failure: ${JSON.stringify(report)}`);
    const errors = ran.log.filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1, ran.log.join('\n'));
    assert.ok(errors[0].startsWith('::error title=eaphost::'), errors[0]);
    assert.ok(errors[0].includes(report.error.rootCause), `${errors[0]} does not say "${report.error.rootCause}"`);
    // On a runner whose running Wired AutoConfig kept EapHost from restarting (--keep-running dot3svc),
    // the same failure says why EapHost may not know the method, and the input that changes it.
    assert.equal(failureLine(report, undefined), errors[0]);
    const hinted = failureLine(report, 'dot3svc');
    assert.ok(hinted.startsWith(errors[0]), hinted);
    assert.match(hinted, /EapHost was not restarted: dot3svc \(Wired AutoConfig\) runs and depends on it/);
    assert.match(hinted, /stop-wired-autoconfig: true/);
    assert.match(ran.summary, /^### eaphost: not authenticated$/m);
    assert.ok(!everythingWritten(ran).includes('not the password'));
  });

  it('without users, the identity and password make the users file: the supplicant runs end to end', async () => {
    const ran = await step({ method: 'mschapv2', identity: 'alice', password: PASSWORD });
    assert.equal(ran.code, 0, ran.log.join('\n'));
    assert.equal(ran.outputs.get('success'), 'true');
  });

  it('inputs the CLI refuses fail the step with the CLI\'s words and set no outputs', async () => {
    const ran = await step({ method: 'no-such-method', identity: 'alice', password: PASSWORD, users: usersFile(PASSWORD) });
    assert.equal(ran.code, 1);
    assert.equal(ran.outputs.size, 0);
    const errors = ran.log.filter((line) => line.startsWith('::error'));
    assert.equal(errors.length, 1, ran.log.join('\n'));
    assert.match(errors[0], /no-such-method/);
    const noSecret = await step({ identity: 'alice', server: '127.0.0.1:1812' });
    assert.equal(noSecret.code, 1);
    assert.match(noSecret.log.join('\n'), /::error title=eaphost::secret is required with server/);
  });

  it('a Windows WLAN profile runs its EapHostConfig, with the credentials-xml that goes with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eaphost-action-wlan-'));
    dirs.push(dir);
    const printed = async (args: string[]) => {
      const out: string[] = [];
      assert.equal(await main(['config', '--method', 'mschapv2', '--shipped', ...args, '--print-xml'], (line) => out.push(line), () => undefined), 0);
      return out.join('\n').replace(/^<\?xml[^>]*\?>\s*/, '');
    };
    // The frame of a WLAN profile as Windows exports it ([MS-GPWL]), EAP settings in OneX/EAPConfig.
    writeFileSync(join(dir, 'wlan.xml'), '<?xml version="1.0"?>\n<WLANProfile xmlns="http://www.microsoft.com/networking/WLAN/profile/v1">' +
      '<name>corp</name><MSM><security><authEncryption><authentication>WPA2</authentication><encryption>AES</encryption>' +
      '<useOneX>true</useOneX></authEncryption><OneX xmlns="http://www.microsoft.com/networking/OneX/v1"><EAPConfig>' +
      `${await printed([])}</EAPConfig></OneX></security></MSM></WLANProfile>\n`);
    writeFileSync(join(dir, 'credentials.xml'), await printed(['--credentials', '--identity', 'alice', '--password', PASSWORD]));
    const ran = await step({ profile: join(dir, 'wlan.xml'), 'credentials-xml': join(dir, 'credentials.xml'), users: usersFile(PASSWORD) });
    assert.equal(ran.code, 0, ran.log.join('\n'));
    assert.equal(ran.outputs.get('method'), 'mschapv2');
    assert.equal(ran.outputs.get('mppe-keys-match'), 'true');
    assert.equal(JSON.parse(readFileSync(ran.outputs.get('result')!, 'utf8')).identity, 'alice');
  });

  it('a Windows WLAN profile gives its EapHostConfig element; other documents are left to --profile', () => {
    const config = '<EapHostConfig xmlns="http://www.microsoft.com/provisioning/EapHostConfig"><EapMethod/></EapHostConfig>';
    const wlan = `<?xml version="1.0"?><WLANProfile xmlns="http://www.microsoft.com/networking/WLAN/profile/v1"><MSM><security>` +
      `<OneX xmlns="http://www.microsoft.com/networking/OneX/v1"><EAPConfig>${config}</EAPConfig></OneX></security></MSM></WLANProfile>`;
    assert.equal(eapHostConfigOf(wlan), config);
    assert.equal(eapHostConfigOf('<EAPIdentityProviderList/>'), undefined);
    assert.throws(() => eapHostConfigOf('<LANProfile><MSM/></LANProfile>'), /without an EapHostConfig element/);
  });

  it('reads each input by the runner\'s name for it (INPUT_ and the name in capitals, hyphens kept)', async () => {
    assert.ok(ACTION_INPUTS.includes('anonymous-identity'));
    const ran = await step({ method: 'mschapv2', identity: 'alice', password: PASSWORD, users: usersFile(PASSWORD), 'tls-min': '1.0' });
    // The CLI refuses --tls-min 1.0: the input reached it under its hyphenated name.
    assert.equal(ran.code, 1);
    assert.match(ran.log.join('\n'), /tls-min/);
  });
});
