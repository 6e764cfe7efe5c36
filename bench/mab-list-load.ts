/**
 * How long `eaphost serve --mab FILE` takes to listen with a long allow-list, and its peak memory.
 *
 *   node dist/bench/mab-list-load.js [--mib 55] [--baseline DIR]
 *
 * A list of `--mib` MiB is written (one "aa:bb:cc:dd:ee:ff VLAN" a line, every MAC different,
 * as a large site's export looks); serve then starts in a child process of its own with it, and
 * the child reports when serve said it listens and its own peak resident set
 * (process.resourceUsage().maxRSS). --baseline DIR: another build of eaphost (a checkout with its
 * dist/ and native build) started the same way right after, so the ratio is of one sitting.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeTempDir } from '../test/support/programs';

// The child: serve with the list until it listens, then its time and peak memory as JSON.
const SERVE_UNTIL_LISTENING = `
const [cli, list, users] = process.argv.slice(1);
const started = process.hrtime.bigint();
require(cli).main(['serve', '--port', '0', '--host', '127.0.0.1', '--secret-file', users + '.secret', '--methods', 'md5',
  '--users', users, '--mab', list], (line) => {
  if (!/listening on/.test(line)) return;
  process.stdout.write(JSON.stringify({ listeningMs: Number(process.hrtime.bigint() - started) / 1e6,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\\n');
  process.exit(0);
}, (line) => process.stderr.write(line + '\\n')).then((code) => process.exit(code === 0 ? 1 : code));
`;

interface Load { listeningMs: number; maxRssMb: number }

/** `mib` MiB of distinct MACs, each with a VLAN; the number of lines. */
function writeList(path: string, mib: number): number {
  const fd = openSync(path, 'w');
  let lines = 0;
  try {
    let written = 0;
    while (written < mib * 1024 * 1024) {
      const chunk: string[] = [];
      for (let i = 0; i < 10_000; i++, lines++) {
        const mac = lines.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
        chunk.push(`${mac} ${1 + (lines % 4094)}\n`);
      }
      written += writeSync(fd, chunk.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

function load(cli: string, list: string, users: string): Promise<Load> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', SERVE_UNTIL_LISTENING, cli, list, users], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) fail(new Error(`serve with ${cli} exited ${code}`));
      else done(JSON.parse(out) as Load);
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mib: { type: 'string', default: '55' }, baseline: { type: 'string' } } });
  const mib = Number(values.mib);
  if (!Number.isFinite(mib) || mib <= 0 || mib > 512) throw new RangeError('--mib wants a size from 0 to 512');
  const dir = makeTempDir('mab-bench');
  try {
    const list = join(dir.path, 'mab.txt');
    const users = join(dir.path, 'users.json');
    const fd = openSync(users, 'w');
    writeSync(fd, JSON.stringify({ bench: { password: 'bench pass' } }));
    closeSync(fd);
    const secret = openSync(`${users}.secret`, 'w');
    writeSync(secret, 'bench-secret\n');
    closeSync(secret);
    const lines = writeList(list, mib);
    const ours = await load(join(__dirname, '..', 'lib', 'cli', 'main.js'), list, users);
    console.log(`this build: ${lines} MACs (${mib} MiB): listening after ${(ours.listeningMs / 1000).toFixed(1)} s, ` +
      `peak ${ours.maxRssMb} MB`);
    if (values.baseline !== undefined) {
      const base = await load(join(resolve(values.baseline), 'dist', 'lib', 'cli', 'main.js'), list, users);
      console.log(`baseline:   listening after ${(base.listeningMs / 1000).toFixed(1)} s, peak ${base.maxRssMb} MB; ` +
        `this build takes ${(ours.listeningMs / base.listeningMs).toFixed(2)}x the time, ${(ours.maxRssMb / base.maxRssMb).toFixed(2)}x the memory`);
    }
  } finally {
    dir.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
