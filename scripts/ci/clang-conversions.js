#!/usr/bin/env node
// MSVC's /W4 /WX conversion warnings, approximated here: every Windows source the mingw-w64 x64
// cross-build compiles (its compile_commands.json: the same files, defines and include paths)
// compiled again by clang for x86_64-w64-mingw32 with -fsyntax-only and
//   -Wconversion -Wshorten-64-to-32 -Wsign-compare   (C4244, C4267, C4245/C4389's nearest)
// as errors. GCC's -Wconversion does not cover what clang's does (64-to-32 shortening above all).
// Usage: node scripts/ci/clang-conversions.js <cross-build dir> [--jobs N] [--only <path prefix>...]
// --only scopes the check to sources under those prefixes (the lane's list says which, and why);
// --jobs N checks N files at a time (by default as many as the machine has cores, at most 8).
// Prints each finding and a summary line "clang conversions: N file(s), M finding(s)"; exits 1
// on any finding or a file clang cannot compile. Files are checked as many at a time as the
// machine has cores, each reported whole, in the database's order.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const runMain = require('./run-main');

const root = path.join(__dirname, '..', '..');
const TRIPLE = 'x86_64-w64-mingw32';
const WARNINGS = ['-Wconversion', '-Wshorten-64-to-32', '-Wsign-compare'];

// Splits a compile command the way a POSIX shell would (CMake quotes with double quotes and backslashes).
function splitCommand(command) {
  const args = [];
  let current = null;
  let quote = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current = current ?? '';
    } else if (c === '\\' && i + 1 < command.length) {
      current = (current ?? '') + command[++i];
    } else if (/\s/.test(c)) {
      if (current !== null) args.push(current);
      current = null;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== null) args.push(current);
  return args;
}

// GCC's own C++ headers for the target (clang finds the mingw-w64 C headers, not libstdc++'s).
function libstdcxxIncludes(compiler) {
  const probe = spawnSync(compiler, ['-xc++', '-E', '-v', '-'], { input: '', encoding: 'utf8' });
  const text = `${probe.stdout}${probe.stderr}`;
  const from = text.indexOf('#include <...> search starts here:');
  const to = text.indexOf('End of search list.');
  if (from < 0 || to < 0) throw new Error(`${compiler} -v printed no include search list (apt-get install mingw-w64)`);
  return text.slice(from, to).split('\n').slice(1).map((l) => l.trim()).filter((l) => l && fs.existsSync(l));
}

// The clang arguments for one compile command: its defines, includes and standard, no output.
function clangArgs(entry, includes) {
  const args = entry.arguments ?? splitCommand(entry.command);
  const keep = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '-MF' || a === '-MT' || a === '-MQ') { i++; continue; }
    if (a === '-c' || a === '-MD' || a === '-MMD' || a === '-Werror' || /^-O/.test(a) || a === entry.file) continue;
    if (a === '-include' || a === '-isystem' || a === '-I') { keep.push(a, args[++i]); continue; }
    // GCC's -f options clang lacks (-fno-keep-inline-dllexport) would stop it: only the language ones pass.
    if (/^-(D|U|I|std=|W)/.test(a) || /^-f(no-)?(exceptions|rtti|char8_t|signed-char|visibility=)/.test(a)) keep.push(a);
  }
  return [`--target=${TRIPLE}`, '-fsyntax-only', '-Wno-unknown-warning-option', '-Wno-unused-command-line-argument',
    ...keep, ...includes.flatMap((dir) => ['-isystem', dir]), ...WARNINGS.map((w) => `-Werror=${w.slice(2)}`), ...WARNINGS,
    entry.file];
}

// The files one compile command compiles: its own, or, for a unity build's batch (CMakeLists.txt:
// CMAKE_UNITY_BUILD), each file the batch includes. clang compiles a batch as the build did, once,
// and its diagnostics still name each file and line.
function sourcesOf(entry) {
  if (!/[\\/]Unity[\\/]unity_\w+_cxx\.cxx$/.test(entry.file)) return [path.resolve(entry.directory, entry.file)];
  const batch = path.resolve(entry.directory, entry.file);
  const files = [...fs.readFileSync(batch, 'utf8').matchAll(/^#include "(.+)"$/gm)].map((m) => path.resolve(entry.directory, m[1]));
  if (files.length === 0) throw new Error(`${batch} includes no source`);
  return files;
}

// clang++ on one file: its exit status and its diagnostics.
function checkFile(entry, includes) {
  return new Promise((resolve, reject) => {
    const child = spawn('clang++', clangArgs(entry, includes), { cwd: entry.directory, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', (error) => reject(new Error(`clang++ did not run (apt-get install clang): ${error.message}`)));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

async function main(argv) {
  const usage = 'usage: clang-conversions.js <cross-build dir> [--jobs N] [--only <prefix>...]';
  const [dir, ...rest] = argv;
  let jobs = Math.max(1, Math.min(os.availableParallelism(), 8));
  if (rest[0] === '--jobs') {
    jobs = Number(rest[1]);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new RangeError(`${usage}: --jobs takes a count from 1 to 64`);
    rest.splice(0, 2);
  }
  if (!dir || (rest.length > 0 && rest[0] !== '--only')) throw new RangeError(usage);
  const only = rest.slice(1).map((p) => path.resolve(root, p));
  const database = path.join(dir, 'compile_commands.json');
  if (!fs.existsSync(database)) throw new Error(`${database} missing: configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON`);
  const includes = libstdcxxIncludes(`${TRIPLE}-g++-posix`).filter((d) => /c\+\+/.test(d));
  const native = path.join(root, 'native') + path.sep;
  const entries = JSON.parse(fs.readFileSync(database, 'utf8'))
    .map((e) => ({ ...e, sources: sourcesOf(e).filter((f) => /\.(cc|cpp)$/.test(f) && f.startsWith(native)) }))
    .filter((e) => e.sources.length > 0)
    .filter((e) => only.length === 0 || e.sources.some((f) => only.some((p) => f.startsWith(p))));
  const seen = new Set();
  const unique = entries.filter((entry) => entry.sources.some((f) => !seen.has(f)) && entry.sources.every((f) => seen.add(f)));
  const runs = new Array(unique.length);
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const at = next++;
      runs[at] = await checkFile(unique[at], includes);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  let findings = 0;
  let failed = 0;
  unique.forEach((entry, at) => {
    const run = runs[at];
    const lines = run.stderr.split('\n').filter((l) => /(warning|error):/.test(l));
    const conversions = lines.filter((l) => /\[(-Werror,)?-W(conversion|shorten-64-to-32|sign-compare|sign-conversion|implicit-int-conversion|float-conversion|implicit-int-float-conversion)\]/.test(l));
    findings += conversions.length;
    if (run.status !== 0 && conversions.length === 0) {
      failed++;
      process.stdout.write(`${entry.sources.map((f) => path.relative(root, f)).join(', ')}: clang could not compile it:\n${lines.slice(0, 5).join('\n')}\n`);
    }
    for (const line of conversions) process.stdout.write(`${line}\n`);
  });
  process.stdout.write(`clang conversions: ${seen.size} file(s), ${findings} finding(s)${failed ? `, ${failed} not compiled` : ''}` +
    ` (clang ${/version (\S+)/.exec(spawnSync('clang++', ['--version'], { encoding: 'utf8' }).stdout)?.[1]}, ${os.platform()})\n`);
  return findings === 0 && failed === 0 && seen.size > 0 ? 0 : 1;
}

module.exports = { splitCommand, clangArgs, sourcesOf };
if (require.main === module) runMain(main);
