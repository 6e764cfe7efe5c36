import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * `eaphost serve` in its own process (the compiled CLI module, run as main.ts runs it), ready
 * to answer once it printed "listening on HOST:PORT".
 */
export interface ServeProcess {
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startEaphostServe(port: number, args: string[]): Promise<ServeProcess> {
  const cli = join(__dirname, '..', '..', 'lib', 'cli', 'serve.js');
  const child = spawn(process.execPath, ['-e',
    `require(${JSON.stringify(cli)}).runServe(process.argv.slice(1)).then((code) => { process.exitCode = code; })`,
    '--', '--port', String(port), '--host', '127.0.0.1', ...args],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve not ready: ${output}`)), 15_000);
      child.stdout.on('data', () => {
        if (output.includes(`listening on 127.0.0.1:${port}`)) { clearTimeout(timer); resolve(); }
      });
      child.on('exit', () => { clearTimeout(timer); reject(new Error(`serve exited: ${output}`)); });
    });
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
