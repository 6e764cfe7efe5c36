/**
 * scripts/ci/install-consumer.js in node.exe with the arguments windows.yml's consumer-windows
 * step gives it, read from the YAML (scripts/ci/windows-steps.js), from a folder holding a copy
 * of the script and no node_modules (the job runs it before anything is installed): the password
 * with spaces reaches the CLI as one argument, and `--users examples/users.json` names the file
 * the step's folder holds. Stand-ins, named as such: npm is a JavaScript entry the script runs in
 * its own node.exe, as it runs npm's npm-cli.js, that records its arguments and, for `install`,
 * puts a stand-in CLI where the package's would be, which records its own; no registry, no
 * tarball is read. What Wine cannot show stays with the runner: npm itself, the real install
 * script picking the prebuild, and `register --restart-service` on the EapHost service.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Not ./support: that loads the addon, and this test needs only node.exe and cmd.exe.
const repoRoot = path.join(__dirname, '..', '..', '..');

const { windowsStepScripts } = require(path.join(repoRoot, 'scripts', 'ci', 'windows-steps.js')) as {
  windowsStepScripts: () => Array<{ job: string; script: string; args: string[] }>;
};

describe('scripts/ci/install-consumer.js in node.exe with the consumer-windows step\'s own arguments, without node_modules', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    if (process.platform !== 'win32') throw new Error('test/windows/** runs only on win32');
    // A folder with a space, as C:\Users\Ann Lee\... is: every path below goes through cmd.exe.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'Ann Lee '));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('npm and the CLI get each argument whole; relative paths mean the step\'s folder', () => {
    const step = windowsStepScripts().find((s) => s.job === 'consumer-windows' && s.script === 'scripts/ci/install-consumer.js');
    assert.ok(step, 'windows.yml has the consumer-windows step');
    const checkout = path.join(dir, 'checkout');
    const record = path.join(dir, 'calls.jsonl');
    // The step's folder: the downloaded artifact (a folder with one .tgz) and the checkout's users file.
    fs.mkdirSync(path.join(checkout, 'tarball'), { recursive: true });
    fs.mkdirSync(path.join(checkout, 'examples'));
    fs.writeFileSync(path.join(checkout, 'tarball', 'eaphost-0.0.0-standin.tgz'), 'stand-in\n');
    fs.copyFileSync(path.join(repoRoot, 'examples', 'users.json'), path.join(checkout, 'examples', 'users.json'));
    // The stand-in CLI: records its arguments and folder, and whether --users names a file from there.
    const cli = path.join(dir, 'cli-standin.js');
    fs.writeFileSync(cli, `const fs = require('fs'); const path = require('path'); const a = process.argv.slice(2);
const u = a.indexOf('--users');
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ who: 'eaphost', args: a, users: u < 0 ? null : fs.existsSync(path.resolve(a[u + 1])) }) + '\\n');\n`);
    // The stand-in npm: records its arguments; install puts the stand-in CLI where the package's is.
    const npmJs = path.join(dir, 'npm-standin.js');
    fs.writeFileSync(npmJs, `const fs = require('fs'); const path = require('path'); const a = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ who: 'npm', args: a }) + '\\n');
if (a[0] === 'install') { const d = path.join('node_modules', 'eaphost', 'dist', 'lib', 'cli'); fs.mkdirSync(d, { recursive: true });
  fs.copyFileSync(${JSON.stringify(cli)}, path.join(d, 'main.js')); }\n`);
    // The script as the job has it: its folder's scripts, no node_modules up the tree.
    const scripts = path.join(dir, 'job');
    fs.cpSync(path.join(repoRoot, 'scripts', 'ci'), path.join(scripts, 'scripts', 'ci'), { recursive: true });

    const run = spawnSync(process.execPath, [path.join(scripts, step.script), ...step.args], {
      cwd: checkout, encoding: 'utf8', timeout: 90000, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EAPHOST_CONSUMER_NPM: npmJs, RUNNER_TEMP: dir, NODE_PATH: '' },
    });
    const out = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, out);
    const calls = fs.readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { who: string; args: string[]; users?: boolean | null });
    const cliArgs = step.args.slice(step.args.indexOf('--') + 1);
    assert.deepEqual(calls.map((c) => [c.who, ...c.args.slice(0, 2)]), [['npm', 'init', '-y'], ['npm', 'install', '--foreground-scripts'],
      ['eaphost', 'register', '--shipped'], ['eaphost', ...cliArgs.slice(0, 2)], ['eaphost', 'unregister', '--shipped']], out);
    assert.equal(calls[1].args[2], path.join(checkout, 'tarball', 'eaphost-0.0.0-standin.tgz'), 'the tarball\'s path, spaces and all, is one argument');
    assert.deepEqual(calls[3].args, cliArgs, 'the CLI gets the step\'s arguments as the step wrote them');
    assert.equal(calls[3].users, true, '--users names the checkout\'s file, from the step\'s folder');
  });
});
