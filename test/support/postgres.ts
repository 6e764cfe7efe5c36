import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uninstrumentedEnv } from './child-env';
import { findProgram } from './programs';

/**
 * PostgreSQL (Debian's postgresql 15) started by a test: a cluster made by initdb in a temporary
 * directory, listening on a Unix socket in that directory only (no TCP). PostgreSQL refuses to run
 * as root, so under root it runs as nobody, the directory given to it. Debian's own cluster is
 * never touched.
 */
export interface PostgresInstance {
  /** postgres://… for pg, the socket directory as its host. */
  url: string;
  /** The server's log so far (pg_ctl -l). */
  log(): string;
  /** Stops the server (the store is gone) and starts it again (it is back). */
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

const NOBODY = 65534;
/** Where Debian installs the server's programs (only some are linked into PATH). */
const DEBIAN_BIN = '/usr/lib/postgresql/15/bin';
const PORT = 5432;  // the socket's name in a directory of its own: no other server shares it

function run(program: string, args: string[]): Promise<string> {
  const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  return new Promise((resolve, reject) => {
    const path = existsSync(join(DEBIAN_BIN, program)) ? join(DEBIAN_BIN, program) : findProgram([program], 'postgresql');
    const child = spawn(path, args,
      { ...asNobody, env: { ...uninstrumentedEnv(), LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${program} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

/** `settings`: more of the server's settings (`name=value`, each passed as -c), log_statement=all say. */
export async function startPostgres(settings: string[] = []): Promise<PostgresInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'eaphost-postgres-'));
  if (process.getuid?.() === 0) chownSync(dir, NOBODY, NOBODY);
  const data = join(dir, 'data');
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'eaphost', '--no-sync']);
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-k ${dir} -p ${PORT} -c listen_addresses='' -c fsync=on${settings.map((setting) => ` -c ${setting}`).join('')}`, 'start'])
    .then(() => undefined);
  const stop = () => run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']).then(() => undefined);
  await start();
  return {
    url: `postgres://eaphost@localhost/postgres?host=${encodeURIComponent(dir)}&port=${PORT}`,
    log: () => readFileSync(join(dir, 'log'), 'utf8'),
    stop, start,
    remove: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** psql (PostgreSQL's own client) run as the cluster's owner: `sql`'s output, -At. */
export function psqlExec(instance: PostgresInstance, sql: string): Promise<string> {
  const url = new URL(instance.url);
  return new Promise<string>((resolve, reject) => {
    const child = spawn(findProgram(['psql'], 'postgresql-client'), ['-h', url.searchParams.get('host')!, '-p', url.searchParams.get('port')!,
      '-U', 'eaphost', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql],
    { env: uninstrumentedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`psql exited ${code}: ${out}`))));
  });
}

/** A query's rows as psql (PostgreSQL's own client, not the driver serve uses) prints them, as JSON objects. */
export async function psqlRows(instance: PostgresInstance, sql: string): Promise<Record<string, unknown>[]> {
  return JSON.parse(await psqlExec(instance, `SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t`));
}
