import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { inNamespace } from './netns';
import { outputUntil } from './programs';

/**
 * `eaphost serve` in its own process (the compiled CLI module, run as main.ts runs it), ready
 * to answer once it printed "listening on HOST:PORT".
 */
export interface ServeProcess {
  /** The UDP port it listens on: the one asked for, or the one it took for port 0. */
  port: number;
  /** The process id (for reading its CPU time in /proc). */
  pid: number;
  output(): string;
  /** The output once `pattern` matched in it `count` times (default 1), else a rejection after
   *  `timeoutMs` that shows the output. serve --log writes a conversation's line just after its
   *  verdict went out: a client that has its verdict waits here for the line. */
  logged(pattern: RegExp, count?: number, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

/** ServeProcess.logged over what `output` returns. */
export function loggedIn(output: () => string): ServeProcess['logged'] {
  return (pattern, count = 1, timeoutMs = 10_000) => outputUntil('serve', output, pattern, { count, timeoutMs });
}

/** `port` 0 lets the server take a free port itself: a port probed free first can be taken by
 *  another process before the server binds it. `nodeFlags`: node's own flags for the serve
 *  process (--cpu-prof, say). */
/** `cli`: another build's dist/lib/cli/main.js (the benches' baselines); this build's by default. */
export function startEaphostServe(port: number, args: string[], nodeFlags: string[] = [], cli = CLI): Promise<ServeProcess> {
  return startServeProcess(port, serveArgv(port, args, nodeFlags, cli));
}

/** `eaphost serve` on a port it takes in network namespace `ns`'s loopback, for a NAS (hostapd) in that namespace;
 *  on `port` when given (another instance taking over the address a NAS knows). */
export function startEaphostServeIn(ns: string, args: string[], port = 0): Promise<ServeProcess> {
  return startServeProcess(port, serveArgv(port, args, [], CLI), ns);
}

/** How a program is started inside something the test made (a mount namespace, say): the program and its arguments, wrapped. */
export type ServeWrapper = (program: string, args: string[]) => [string, string[]];

/** `eaphost serve` started through `wrap`, on a port it takes. */
export function startEaphostServeWrapped(wrap: ServeWrapper, args: string[]): Promise<ServeProcess> {
  return startServeProcess(0, serveArgv(0, args, [], CLI), wrap);
}

function serveArgv(port: number, args: string[], nodeFlags: string[], cli: string): string[] {
  return [...nodeFlags, '-e',
    `require(${JSON.stringify(cli)}).main(['serve', ...process.argv.slice(1)]).then((code) => { process.exitCode = code; })`,
    '--', '--port', String(port), '--host', '127.0.0.1', ...args];
}

/** A node process started with `argv` that serves RADIUS on 127.0.0.1 and says so as serve does
 *  ("listening on 127.0.0.1:PORT"); `port` as startEaphostServe's; in namespace `ns` if given
 *  (ip netns exec execs node itself: the child is node), or started through a wrapper that execs it. */
export async function startServeProcess(port: number, argv: string[], ns?: string | ServeWrapper): Promise<ServeProcess> {
  const [program, programArgs] = ns === undefined ? [process.execPath, argv]
    : typeof ns === 'string' ? inNamespace(ns, process.execPath, argv) : ns(process.execPath, argv);
  const child = spawn(program, programArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let bound = port;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve not ready: ${output}`)), 15_000);
      child.stdout.on('data', () => {
        const listening = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
        if (listening && (port === 0 || Number(listening[1]) === port)) {
          bound = Number(listening[1]);
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => { clearTimeout(timer); reject(new Error(`serve exited: ${output}`)); });
    });
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  return {
    port: bound,
    pid: child.pid!,
    output: () => output,
    logged: loggedIn(() => output),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * A RadiusServer on a free loopback port in front of the embedded authenticator (EAP-MD5, user
 * frank / pw), started before the describe block's tests and closed after them.
 */
export function md5RadiusServerHooks(secret: string, started: (server: RadiusServer, port: number) => void): void {
  let authenticator: Authenticator | undefined;
  let server: RadiusServer | undefined;
  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { frank: { password: 'pw' } } });
    const running = new RadiusServer({ port: 0, secret, authenticator: authenticator! });
    server = running;
    started(running, (await running.listen()).port);
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
  });
}

/**
 * Runs `body` against a RadiusServer on a free loopback port in front of an embedded PEAP
 * authenticator for `user` (its own made-up server certificate: authenticator.trust), and
 * closes both after, whatever `body` does.
 */
export async function withPeapRadiusServer<T>(secret: string, user: { identity: string; password: string },
  body: (port: number, authenticator: Authenticator) => Promise<T>): Promise<T> {
  let authenticator: Authenticator | undefined;
  let server: RadiusServer | undefined;
  try {
    authenticator = await createAuthenticator({ methods: ['peap'], users: { [user.identity]: { password: user.password } } });
    const conversations = authenticator;
    server = new RadiusServer({ port: 0, secret, authenticator: conversations });
    const { port } = await server.listen();
    return await body(port, authenticator);
  } finally {
    await server?.close();
    await authenticator?.close();
  }
}
