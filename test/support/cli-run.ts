import { spawn } from 'node:child_process';
import { findProgram } from './programs';

/** What a CLI entry point (main, runPing, runRadiusAuth, …) printed: its exit code and its lines. */
export interface CliRun { code: number; out: string[]; err: string[] }

type LineWriter = (line: string) => void;

/** Runs a CLI entry point in this process with `argv`, collecting its stdout and stderr lines. */
export async function runCli(entry: (argv: string[], out: LineWriter, err: LineWriter) => Promise<number>,
  argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await entry(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

/** radclient (freeradius-utils) sending `input` as one `command` request to 127.0.0.1:`port`, once, waiting `timeoutSeconds`. */
export function runRadclient(port: number, secret: string, command: 'auth' | 'status', input: string, timeoutSeconds: number)
  : Promise<{ code: number | null; output: string }> {
  const program = findProgram(['radclient'], 'freeradius-utils');
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['-x', '-r', '1', '-t', String(timeoutSeconds), `127.0.0.1:${port}`, command, secret],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}
