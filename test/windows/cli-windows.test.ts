/**
 * The CLI under the Windows node.exe: `eaphost auth` runs a whole EAP-MD5 authentication
 * through the default backend (the System32 EAPHost on win32) against the embedded
 * authenticator whose users come from a file.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cliScript, randomCredentials, requireWindows } from './support';

describe('eaphost CLI on win32', function () {
  let dir: string;
  let usersFile: string;
  const { identity, password } = randomCredentials();

  before(function () {
    requireWindows();
    dir = mkdtempSync(path.join(tmpdir(), 'eaphost-cli-'));
    usersFile = path.join(dir, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ [identity]: { password } }));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function auth(pw: string): { status: number | null; stdout: string; stderr: string } {
    const child = spawnSync(process.execPath, [cliScript, 'auth', '--method', 'md5', '--identity', identity,
      '--password', pw, '--users', usersFile, '--json'], { encoding: 'utf8', env: process.env });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  }

  it('exits 0 and reports success for the right password', function () {
    const result = auth(password);
    assert.equal(result.status, 0, result.stderr || result.stdout);
    const report = JSON.parse(result.stdout);
    assert.equal(report.success, true);
    assert.equal(report.identity, identity);
  });

  it('exits 1 for a wrong password', function () {
    const result = auth(`${password}-wrong`);
    assert.equal(result.status, 1, result.stderr || result.stdout);
    assert.equal(JSON.parse(result.stdout).success, false);
  });
});
