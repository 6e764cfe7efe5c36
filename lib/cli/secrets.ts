/**
 * Secrets off the command line: a command line is readable by every local user (ps, /proc) for
 * the process's whole life, so each secret flag (--password, --secret, --key-password) also comes
 * from a file (--password-file FILE), from the environment (EAPHOST_PASSWORD, …) or from standard
 * input (--password -). The value lands where the literal flag's would, so the commands read one
 * place whichever way it came.
 */
import { readSync } from 'node:fs';
import { FileTooLargeError, readFileBounded } from '../core/file-read';
import { FlagValues, LineWriter, UsageError } from './main';
import { SECRET_ENVIRONMENT } from './flags';
import { utf8Text } from '../core/input-checks';

/** A secret file is a line or two, never a large file read whole by mistake. */
const MAX_SECRET_FILE = 64 * 1024;

export interface SecretSources {
  env?: NodeJS.ProcessEnv;
  /** Standard input, read once to its end (tests pass their own). */
  stdin?: () => Buffer | string;
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

function readSecretFile(file: string, flag: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileBounded(file, MAX_SECRET_FILE);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new UsageError(`${flag} ${file}: ${error.amount} is not a secret file (at most ${MAX_SECRET_FILE})`);
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return firstLine(secretText(bytes, `${flag} ${file}`));
}

/**
 * Standard input to its end, as bytes, read chunk by chunk. readFileSync(0) asks fstat for the
 * size first, which node.exe under Wine refuses (EBADF) for a file handed over as standard input;
 * Windows reports the end of a pipe as the error EOF, not a read of 0.
 */
function readStandardInput(): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(16 * 1024);
  let total = 0;
  try {
    for (;;) {
      let read: number;
      try {
        read = readSync(0, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EOF') break;
        throw new UsageError(`standard input: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (read === 0) break;
      total += read;
      if (total > MAX_SECRET_FILE) throw new UsageError(`standard input: more than ${MAX_SECRET_FILE} bytes is not a secret`);
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
    return Buffer.concat(chunks);
  } finally {
    chunk.fill(0);
    for (const part of chunks) part.fill(0);
  }
}

/** A secret's bytes as text; bytes that are not UTF-8 are refused, not changed to U+FFFD. */
function secretText(bytes: Buffer | string, source: string): string {
  if (typeof bytes === 'string') return bytes;
  const text = utf8Text(bytes);
  bytes.fill(0);
  if (text === undefined) throw new UsageError(`${source}: not valid UTF-8`);
  return text;
}

/**
 * The run-time warning for a secret given literally: the flag works (scripts depend on it), but
 * the user is told each time, as --insecure's weak trust is, since the exposure lasts as long as
 * the process does and nothing else would ever say so.
 */
export function literalSecretWarning(name: string,
  instead = `--${name}-file FILE, ${SECRET_ENVIRONMENT[name]} or --${name} -`): string {
  return `warning: --${name} on the command line can be read by every local user (ps, /proc) while this runs; ` +
    `use ${instead} instead`;
}

/**
 * Resolves each named secret in place: `values[name]` becomes the secret from the literal flag,
 * "-" (standard input), `--NAME-file` or the environment, in that order; two of the flag forms at
 * once are a usage error, and so is "-" for two secrets (there is one standard input). A literal
 * value is warned about on `warn`, once per flag, before anything runs.
 */
export function resolveSecrets(values: FlagValues, names: readonly string[], warn: LineWriter,
  sources: SecretSources = {}): void {
  const env = sources.env ?? process.env;
  let stdinTakenBy: string | undefined;
  for (const name of names) {
    const literal = values[name];
    const file = values[`${name}-file`];
    delete values[`${name}-file`];
    if (typeof literal === 'string' && typeof file === 'string') {
      throw new UsageError(`give --${name} or --${name}-file, not both`);
    }
    if (typeof literal === 'string' && literal !== '-') warn(`eaphost: ${literalSecretWarning(name)}`);
    if (literal === '-') {
      if (stdinTakenBy !== undefined) throw new UsageError(`--${stdinTakenBy} and --${name} cannot both read standard input`);
      stdinTakenBy = name;
      values[name] = firstLine(secretText((sources.stdin ?? readStandardInput)(), 'standard input'));
    } else if (typeof file === 'string') {
      values[name] = readSecretFile(file, `--${name}-file`);
    } else if (literal === undefined) {
      const fromEnv = env[SECRET_ENVIRONMENT[name] ?? ''];
      if (fromEnv !== undefined && fromEnv !== '') values[name] = fromEnv;
    }
  }
}

/**
 * A PSK file's key: hex (an even number of hex digits, one trailing newline allowed) is decoded;
 * anything else is the key as it is, byte for byte. The file's bytes are wiped when decoded.
 */
export function keyFromFile(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  const body = bytes.subarray(0, end);
  if (body.length > 0 && body.length % 2 === 0 && body.every(isHexDigit)) {
    const key = Buffer.from(body.toString('latin1'), 'hex');
    bytes.fill(0);
    return key;
  }
  return bytes;
}

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}
