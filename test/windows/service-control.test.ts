/**
 * The addon's serviceControl (the service control manager's own calls) in node.exe: under Wine
 * against Wine's own services, since Wine has no EapHost (its absence is a typed EapError naming
 * the SCM's ERROR_SERVICE_DOES_NOT_EXIST); on Windows (windows.yml runs test/windows/**) against
 * the real EapHost, queried only. scripts/ci/windows/eaphost-service.js, which the workflows
 * run with start, is run here with the same arguments plus --service.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { EapError } from '../../lib/core/errors';
import { binding } from '../../lib/native';
import { requireWindows } from './support';

const SERVICE_STOPPED = 1;
const SERVICE_RUNNING = 4;
const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
const script = path.join(__dirname, '..', '..', '..', 'scripts', 'ci', 'windows', 'eaphost-service.js');
const wine = process.env.EAPHOST_WINE === '1';

function runScript(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the service control manager through the addon (serviceControl)', function () {
  this.timeout(180000);
  before(requireWindows);

  it(wine ? 'EapHost is no service under Wine: a typed EapError with ERROR_SERVICE_DOES_NOT_EXIST'
    : 'EapHost is a service: its state and its dependents', () => {
    if (!wine) {
      const state = binding.serviceControl({ service: 'EapHost', action: 'query', timeoutMs: 1000 });
      assert.ok(state.state >= SERVICE_STOPPED && state.state <= 7, JSON.stringify(state));
      assert.ok(Array.isArray(state.dependents));
      return;
    }
    assert.throws(() => binding.serviceControl({ service: 'EapHost', action: 'query', timeoutMs: 1000 }),
      (error: unknown) => error instanceof EapError && error.win32Error === ERROR_SERVICE_DOES_NOT_EXIST);
  });

  it('bad input is a TypeError', () => {
    assert.throws(() => binding.serviceControl({ service: 'EapHost', action: 'pause' as 'stop', timeoutMs: 1000 }), TypeError);
    assert.throws(() => binding.serviceControl({ service: '', action: 'query', timeoutMs: 1000 }), TypeError);
  });

  // Wine's Print Spooler service: stopped and started through the SCM, by the script the workflows run.
  // Only under Wine: on a runner the workflow steps run the script on EapHost itself.
  if (wine) it('eaphost-service.js start, restart and stop on a Wine service: the states the SCM reports', function () {
    const started = runScript(['start', '--service', 'Spooler']);
    assert.equal(started.status, 0, started.out);
    assert.equal(binding.serviceControl({ service: 'Spooler', action: 'query', timeoutMs: 1000 }).state, SERVICE_RUNNING);
    const restarted = runScript(['restart', '--service', 'Spooler']);
    assert.equal(restarted.status, 0, restarted.out);
    assert.match(restarted.out, /stopping Spooler[\s\S]*starting Spooler[\s\S]*Spooler: state 4/);
    const stopped = runScript(['stop', '--service', 'Spooler']);
    assert.equal(stopped.status, 0, stopped.out);
    assert.equal(binding.serviceControl({ service: 'Spooler', action: 'query', timeoutMs: 1000 }).state, SERVICE_STOPPED);
  });
});
