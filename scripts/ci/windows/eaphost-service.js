#!/usr/bin/env node
// The EapHost service for the Windows jobs of the workflows: start it, stop it, or restart it so
// it reads the method registrations again (EapHost reads them when it starts). Usage:
//   node scripts/ci/windows/eaphost-service.js start|stop|restart
// Wired AutoConfig (dot3svc) depends on EapHost: stopping EapHost while it runs fails (1051), so
// stop and restart first stop the dependents that run, and restart starts them again after;
// each says which. Through PowerShell's service cmdlets, whose states are names, not text in the
// runner's language. Exits non-zero when EapHost does not end up in the state asked for.
'use strict';
const { spawnSync } = require('child_process');

const SERVICE = 'Eaphost';

// The PowerShell text of each action; $service is EapHost's controller.
const ACTIONS = {
  start: `Start-Service -Name ${SERVICE}`,
  stop: [
    '$running = @($service.DependentServices | Where-Object { $_.Status -eq "Running" })',
    'foreach ($d in $running) { Write-Output "stopping dependent $($d.Name)"; Stop-Service -Name $d.Name }',
    `Stop-Service -Name ${SERVICE}`,
  ].join('; '),
  restart: [
    '$running = @($service.DependentServices | Where-Object { $_.Status -eq "Running" })',
    'foreach ($d in $running) { Write-Output "stopping dependent $($d.Name)"; Stop-Service -Name $d.Name }',
    `Stop-Service -Name ${SERVICE}`,
    `Start-Service -Name ${SERVICE}`,
    'foreach ($d in $running) { Write-Output "starting dependent $($d.Name) again"; Start-Service -Name $d.Name }',
  ].join('; '),
};
const WANTED = { start: 'Running', stop: 'Stopped', restart: 'Running' };

function command(action) {
  if (!ACTIONS[action]) throw new RangeError(`eaphost-service: start, stop or restart, not ${JSON.stringify(action)}`);
  return `$ErrorActionPreference = "Stop"; $service = Get-Service -Name ${SERVICE}; ${ACTIONS[action]}; ` +
    `$status = (Get-Service -Name ${SERVICE}).Status.ToString(); Write-Output "${SERVICE}: $status"; ` +
    `if ($status -ne "${WANTED[action]}") { exit 3 }`;
}

function main(argv) {
  const action = argv[0];
  const text = command(action);
  const run = spawnSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', text], { stdio: 'inherit' });
  if (run.error) throw new Error(`powershell.exe did not run: ${run.error.message}`);
  return run.status === 0 ? 0 : 1;
}

module.exports = { command };
if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  }
}
