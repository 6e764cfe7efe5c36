#!/usr/bin/env node
// Runs a program as LocalSystem in session 0 (a service's view: no interactive user) from a
// one-off scheduled task, and gives back its output and exit status: windows.yml's "as a service"
// step. Usage:
//   node scripts/ci/windows/run-as-system.js [--name TASK] [--env NAME=VALUE]... [--timeout-s N]
//        [--direct] -- <program> [arguments...]
// The task runs a .cmd this script writes (in RUNNER_TEMP, else the temp folder): it changes to
// the current directory, sets the --env variables, runs the program with its output into a log
// and appends "exit <status>" as the last line, which this script waits for (up to --timeout-s,
// 180 by default), then prints the log, removes the task and exits with that status.
// --direct runs the same .cmd as the current user with cmd.exe, no task: what the Wine lane does
// (Wine has no Task Scheduler service to run a task as SYSTEM), so everything but the account
// and the session is the same code and the same cmd text on both.
'use strict';
const runMain = require('../run-main');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

// cmd's own quoting: a word with a space or one of cmd's special characters goes in double
// quotes; a double quote or a percent sign has no safe spelling inside one and is refused.
function cmdWord(word) {
  if (/["%\r\n]/.test(word)) throw new RangeError(`run-as-system: ${JSON.stringify(word)} cannot be passed through cmd`);
  return /[\s&|<>^(),;=]/.test(word) || word === '' ? `"${word}"` : word;
}

// The .cmd text. The status line is `>> log echo exit %ERRORLEVEL%`, the redirection first: with
// >> right after the variable, cmd expands the status first and reads its digit as the handle to
// redirect, and the log never gets it (scripts/ci/lint-workflows.js refuses that). The other
// spelling, `(echo exit %ERRORLEVEL%)>> log`, works in Windows' cmd but writes nothing in Wine's,
// where the lane runs this text (test/windows/ci-scripts.test.ts).
function taskScript({ cwd, env, program, args, log }) {
  const lines = ['@echo off', `cd /d ${cmdWord(cwd)}`];
  for (const [name, value] of env) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`run-as-system: bad variable name ${JSON.stringify(name)}`);
    lines.push(`set "${name}=${cmdWord(value).replace(/^"|"$/g, '')}"`);
  }
  lines.push(`${[program, ...args].map(cmdWord).join(' ')} > ${cmdWord(log)} 2>&1`);
  // The status sets the line it starts: the program's output need not end with a line break. The
  // status is saved first, so nothing run after the program can change it.
  lines.push('set EAPHOST_STATUS=%ERRORLEVEL%', `>> ${cmdWord(log)} echo.`, `>> ${cmdWord(log)} echo exit %EAPHOST_STATUS%`);
  return `${lines.join('\r\n')}\r\n`;
}

// The status the .cmd appended, or undefined while it has not.
function finalStatus(logText) {
  const m = /^exit (\d+)\s*$/m.exec(logText);
  return m ? Number(m[1]) : undefined;
}

function parseArgs(argv) {
  const options = { name: 'eaphost-as-system', env: [], timeoutS: 180, direct: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { options.command = argv.slice(i + 1); break; }
    if (arg === '--direct') options.direct = true;
    else if (arg === '--name' && i + 1 < argv.length) options.name = argv[++i];
    else if (arg === '--timeout-s' && i + 1 < argv.length) options.timeoutS = Number(argv[++i]);
    else if (arg === '--env' && i + 1 < argv.length) {
      const [name, ...value] = argv[++i].split('=');
      options.env.push([name, value.join('=')]);
    } else throw new RangeError(`run-as-system: unknown argument ${arg}`);
  }
  if (options.command.length === 0) throw new RangeError('run-as-system: no command after --');
  if (!Number.isFinite(options.timeoutS) || options.timeoutS <= 0) throw new RangeError('run-as-system: --timeout-s wants seconds');
  if (!/^[A-Za-z0-9_-]+$/.test(options.name)) throw new RangeError('run-as-system: --name wants letters, digits, - and _');
  return options;
}

function schtasks(args) {
  const run = spawnSync('schtasks.exe', args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(`schtasks ${args[0]} failed (${run.error ? run.error.message : `exit ${run.status}`}): ${run.stderr || run.stdout}`);
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const readLog = (log) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');

/**
 * The scheduled task's run: created, started, waited for until its log says "exit <status>" or
 * `timeoutS` passes. A task still running at the deadline is ended (/End) before it is deleted,
 * or its node.exe would go on holding the log. Failures of /End and /Delete are warnings: the
 * run's own status is the result. `tools` (schtasks, sleep, now, warn) lets a test stand in.
 */
function runAsTask(options, script, log, tools = { schtasks, sleep, now: Date.now, warn: (line) => process.stderr.write(`${line}\n`) }) {
  tools.schtasks(['/Create', '/TN', options.name, '/TR', `cmd.exe /d /c "${script}"`, '/SC', 'ONCE', '/ST', '23:59',
    '/RU', 'SYSTEM', '/RL', 'HIGHEST', '/F']);
  let status;
  try {
    tools.schtasks(['/Run', '/TN', options.name]);
    // The status line says the task ended; the deadline only bounds a task that never ends.
    const deadline = tools.now() + options.timeoutS * 1000;
    while ((status = finalStatus(readLog(log))) === undefined && tools.now() < deadline) tools.sleep(500);
  } finally {
    const cleanup = status === undefined ? [['/End', '/TN', options.name], ['/Delete', '/TN', options.name, '/F']]
      : [['/Delete', '/TN', options.name, '/F']];
    for (const args of cleanup) {
      try {
        tools.schtasks(args);
      } catch (error) {
        tools.warn(`run-as-system: warning: ${error.message}`);
      }
    }
  }
  return status;
}

/** Removes the run's folder; a file still held (EBUSY, EPERM) is a warning, never the result. */
function removeRunFolder(dir, warn, remove = (at) => fs.rmSync(at, { recursive: true, force: true })) {
  try {
    remove(dir);
  } catch (error) {
    warn(`run-as-system: warning: ${dir} was not removed (${error.code || error.message}); remove it later`);
  }
}

function main(argv) {
  const options = parseArgs(argv);
  const dir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), `${options.name}-`));
  const log = path.join(dir, 'output.log');
  const script = path.join(dir, 'run.cmd');
  // `node` is this node: a task's PATH (SYSTEM's) need not hold the one the job set up.
  const program = options.command[0] === 'node' ? process.execPath : options.command[0];
  fs.writeFileSync(script, taskScript({ cwd: process.cwd(), env: options.env, program,
    args: options.command.slice(1), log }));
  let status;
  if (options.direct) {
    const run = spawnSync('cmd.exe', ['/d', '/c', script], { stdio: 'ignore', timeout: options.timeoutS * 1000 });
    if (run.error) throw new Error(`cmd.exe did not run ${script}: ${run.error.message}`);
    status = finalStatus(readLog(log));
  } else {
    status = runAsTask(options, script, log);
  }
  const text = readLog(log) || '(no output)\n';
  removeRunFolder(dir, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(text);
  if (status === undefined) {
    process.stderr.write(`run-as-system: the ${options.direct ? 'command' : 'task'} wrote no "exit <status>" line in ${options.timeoutS} s\n`);
    return 1;
  }
  process.stdout.write(`run-as-system: ${options.direct ? 'as this user (--direct)' : 'as SYSTEM'}: exit ${status}\n`);
  return status === 0 ? 0 : 1;
}

module.exports = { taskScript, finalStatus, cmdWord, runAsTask, removeRunFolder };
if (require.main === module) {
  runMain(main, 2);
}
