/**
 * What the benches that run the CLI as a child share: running `eaphost <command>`, a median (a
 * process's CPU time: proc-cpu.ts).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/** `eaphost <command> argv…`, in a process of its own: its exit code and output. */
export function eaphost(argv: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'lib', 'cli', 'main.js'), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => done({ code, output }));
  });
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
