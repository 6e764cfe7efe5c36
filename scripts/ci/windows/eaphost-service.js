#!/usr/bin/env node
// The EapHost service for the Windows jobs of the workflows, through the package's own service
// control (lib/register/service.ts over the addon's serviceControl: the service control
// manager's calls, states as numbers, never a program's text in the runner's language). Usage:
//   node scripts/ci/windows/eaphost-service.js start|stop|restart [--service NAME]
// stop and restart first stop the services that depend on it and run (Wired AutoConfig depends
// on EapHost: stopping EapHost while it runs fails with 1051); restart starts again what it
// stopped, each in its own try, and leaves a service that was stopped as it was. Each says which. --service names another service (the Wine lane runs this on Wine's own
// services: there is no EapHost under Wine). Needs dist/ (npm run build:ts).
'use strict';
const runMain = require('../run-main');
const path = require('path');

const dist = path.join(__dirname, '..', '..', '..', 'dist', 'lib');
const SERVICE_STOPPED = 1;
const SERVICE_RUNNING = 4;

function main(argv) {
  const [action, flag, name] = argv;
  if (!['start', 'stop', 'restart'].includes(action) || (flag !== undefined && (flag !== '--service' || !name)) || argv.length > 3) {
    throw new RangeError('usage: eaphost-service.js start|stop|restart [--service NAME]');
  }
  const service = name || 'EapHost';
  const { binding } = require(path.join(dist, 'native'));
  const { withServiceRestarted } = require(path.join(dist, 'register', 'service'));
  const out = (line) => process.stdout.write(`${line}\n`);
  const call = (target, what) => binding.serviceControl({ service: target, action: what, timeoutMs: 60000 });
  let wanted = action === 'stop' ? SERVICE_STOPPED : SERVICE_RUNNING;
  if (action === 'restart') {
    // A stopped service stays stopped: restart is for one that runs (withServiceRestarted).
    if (call(service, 'query').state === SERVICE_STOPPED) wanted = SERVICE_STOPPED;
    withServiceRestarted(out, () => undefined, service);
  } else if (action === 'start') {
    out(`starting ${service}`);
    call(service, 'start');
  } else {
    for (const dependent of call(service, 'query').dependents.filter((d) => d.state !== SERVICE_STOPPED)) {
      out(`stopping ${dependent.name}, which depends on ${service}`);
      call(dependent.name, 'stop');
    }
    out(`stopping ${service}`);
    call(service, 'stop');
  }
  const state = call(service, 'query').state;
  out(`${service}: state ${state}${state === wanted ? '' : `, not ${wanted}`}`);
  return state === wanted ? 0 : 1;
}

if (require.main === module) {
  runMain(main);
}
