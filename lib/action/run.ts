/**
 * The GitHub Action (action.yml at the repository root; action/index.js runs this): one
 * `eaphost auth --json` (or, with `audit: true`, one `eaphost audit --json`, its clients table in
 * the job summary) in this process, from the step's inputs (INPUT_* variables), its outcome
 * as step outputs (GITHUB_OUTPUT), the conversation as a job summary table
 * (GITHUB_STEP_SUMMARY), and a failed step with the EAP error's words (`::error::`).
 *
 * Every input maps onto a flag the CLI already has (docs/cli.md); the action adds only what a
 * workflow step needs around it: secrets masked before anything is printed, a users file made
 * from the identity and password when none is given (the embedded authenticator then checks the
 * supplicant end to end), a Windows WLAN / LAN profile's EapHostConfig taken out for --config-xml
 * (its credentials, as Windows keeps them apart from the profile, an EapHostUserCredentials file),
 * and, on a Windows runner with Windows' own EAPHost, what EapHost needs for every method: the
 * shipped module registered from its protected copy (`eaphost register --shipped`, removed again by
 * the post step, action/post.js), the EapHost service (re)started so it reads that registration, and
 * the run's ephemeral CA trusted in LocalMachine\Root for Windows' own TLS methods.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';

/** The inputs the action reads, as action.yml declares them (test/action-metadata.test.ts holds the two together). */
export const ACTION_INPUTS = [
  'method', 'identity', 'password', 'profile', 'users', 'server', 'secret', 'anonymous-identity', 'inner-method', 'phase2',
  'ca', 'server-name', 'cert', 'key', 'key-password', 'tls-min', 'tls-max', 'timeout', 'backend', 'credentials-xml',
  'trust-ephemeral-ca', 'audit', 'stop-wired-autoconfig',
] as const;
export type ActionInput = typeof ACTION_INPUTS[number];

/** The outputs it sets. */
export const ACTION_OUTPUTS = ['success', 'method', 'mppe-keys-match', 'result'] as const;
type ActionOutput = typeof ACTION_OUTPUTS[number];

/** Inputs that are secrets: masked in the log before anything else is written, and never passed as arguments. */
const SECRET_INPUTS: Partial<Record<ActionInput, string>> = {
  password: 'EAPHOST_PASSWORD', secret: 'EAPHOST_SECRET', 'key-password': 'EAPHOST_KEY_PASSWORD',
};

/** Inputs that are the CLI flag of the same name, value as given. */
const FLAG_INPUTS: readonly ActionInput[] = [
  'identity', 'anonymous-identity', 'inner-method', 'phase2', 'ca', 'server-name', 'cert', 'key', 'tls-min', 'tls-max', 'backend',
  'credentials-xml',
];

export interface ActionIo {
  /** The step's log (the runner reads workflow commands such as ::add-mask:: from it). */
  log(line: string): void;
}

/** Thrown for inputs that cannot run: the step fails with the message. */
class InputError extends Error {}

/** The runner's rule: INPUT_ and the name in capitals, spaces as underscores (hyphens stay). */
function input(env: NodeJS.ProcessEnv, name: ActionInput): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** A workflow command's data, escaped as the runner unescapes it. */
function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** `name<<delimiter` form: a value may hold newlines; the delimiter is random and checked absent from it. */
function writeOutputs(file: string | undefined, outputs: Record<ActionOutput, string>): void {
  if (!file) throw new InputError('GITHUB_OUTPUT is not set: the action runs as a step of a workflow');
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `eaphost_${randomBytes(16).toString('hex')}`;
    if (value.includes(delimiter)) throw new Error(`output ${name} holds its own delimiter`);
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}

const CODE_NAMES: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure' };
const TYPE_NAMES: Record<number, string> = {
  1: 'Identity', 2: 'Notification', 3: 'Nak', 4: 'MD5-Challenge', 6: 'GTC', 13: 'EAP-TLS', 21: 'EAP-TTLS', 25: 'PEAP',
  26: 'EAP-MSCHAPv2', 33: 'Extensions', 55: 'TEAP', 254: 'Expanded',
};

interface ConversationPacket { direction: 'in' | 'out'; code: number; identifier: number; length: number; type: number | null }

/** A Markdown table cell: no pipe or newline can break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The job summary: the outcome, then one row per EAP packet; a round is one request and its response. */
export function summaryMarkdown(report: Record<string, unknown>): string {
  const success = report.success === true;
  const lines = [
    `### eaphost: ${success ? 'authenticated' : 'not authenticated'}`, '',
    cell(String(report.reason ?? '')), '',
    `method **${cell(String(report.method ?? 'unknown'))}**, ${report.mode === 'embedded' ? 'embedded authenticator' : `server ${cell(String(report.server))}`}` +
      `, ${report.roundTrips ?? 0} round trips, ${Math.round(Number(report.elapsedMs ?? 0))} ms` +
      (typeof report.mppeKeysMatch === 'boolean' ? `, MPPE keys ${report.mppeKeysMatch ? 'match' : 'do not match'} the MSK` : ''),
  ];
  const conversation = Array.isArray(report.conversation) ? report.conversation as ConversationPacket[] : [];
  if (conversation.length > 0) {
    lines.push('', '| round | direction | EAP code | type | identifier | length |', '| ---: | --- | --- | --- | ---: | ---: |');
    let round = 0;
    for (const packet of conversation) {
      if (packet.direction === 'in' && packet.code === 1) round++;
      const type = packet.type === null ? '' : `${TYPE_NAMES[packet.type] ?? 'type'} (${packet.type})`;
      lines.push(`| ${round} | ${packet.direction === 'in' ? 'authenticator → peer' : 'peer → authenticator'} | ` +
        `${CODE_NAMES[packet.code] ?? packet.code} | ${type} | ${packet.identifier} | ${packet.length} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

interface AuditRow { client: string; connects: boolean; tlsVersion: string | null; reasons: string[] }
interface AuditFindingRow { id: string; severity: string; clients: string[]; evidence: string; fix: string }

/** The job summary of `audit: true`: the clients × connects / why table, then the findings and their fixes. */
export function auditMarkdown(report: Record<string, unknown>): string {
  const clients = Array.isArray(report.clients) ? report.clients as AuditRow[] : [];
  const findings = Array.isArray(report.findings) ? report.findings as AuditFindingRow[] : [];
  const lines = [
    `### eaphost audit: ${report.verdict === 'pass' ? 'every client connects' : report.verdict === 'fail' ? 'some clients fail' : 'no answer'}`, '',
    cell(String(report.reason ?? '')), '',
    '| client | connects | TLS | why not |', '| --- | --- | --- | --- |',
    ...clients.map((client) => `| ${cell(client.client)} | ${client.connects ? 'yes' : '**no**'} | ${cell(client.tlsVersion ?? '-')} | ` +
      `${cell(client.reasons.join(', '))} |`),
  ];
  if (findings.length > 0) {
    lines.push('', '| finding | severity | breaks | evidence | fix |', '| --- | --- | --- | --- | --- |');
    for (const finding of findings) {
      lines.push(`| ${cell(finding.id)} | ${cell(finding.severity)} | ${cell(finding.clients.join(', ') || 'none')} | ` +
        `${cell(finding.evidence)} | ${cell(finding.fix)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Inputs `audit: true` takes beside server, secret, identity and password: the clients' profile. */
const AUDIT_FLAG_INPUTS: readonly ActionInput[] = ['anonymous-identity', 'inner-method', 'phase2', 'ca', 'server-name', 'cert', 'key'];

/** `eaphost audit --json` from the inputs (audit: true): a RADIUS server is required. */
function auditArguments(env: NodeJS.ProcessEnv): string[] {
  const server = input(env, 'server');
  if (!server || !input(env, 'secret')) throw new InputError('audit needs server and secret (the RADIUS server it audits)');
  const refused = (['users', 'tls-min', 'tls-max', 'backend', 'credentials-xml', 'trust-ephemeral-ca'] as ActionInput[])
    .find((name) => input(env, name));
  if (refused) throw new InputError(`${refused} does not go with audit: the audit chooses the client behaviours itself`);
  const args = ['audit', '--json', '--radius', server];
  const timeout = input(env, 'timeout');
  if (timeout) args.push('--timeout', timeout);
  const profile = input(env, 'profile');
  if (profile) args.push('--profile', profile);
  const method = input(env, 'method');
  if (method || !profile) args.push('--method', method || 'peap');
  const identity = input(env, 'identity');
  if (identity) args.push('--identity', identity);
  for (const name of AUDIT_FLAG_INPUTS) {
    const value = input(env, name);
    if (value) args.push(`--${name}`, value);
  }
  return args;
}

/** A Windows WLAN or LAN profile carries its EAP settings as an EapHostConfig element: that element, or undefined. */
export function eapHostConfigOf(xml: string): string | undefined {
  if (!/<(\w+:)?(WLANProfile|LANProfile)\b/.test(xml)) return undefined;
  const found = /<((?:\w+:)?EapHostConfig)\b[\s\S]*?<\/\1>/.exec(xml);
  if (!found) throw new InputError('profile: a Windows network profile without an EapHostConfig element (its EAPConfig)');
  return found[0];
}

/** The methods whose Windows peer trusts a server only through a Root store. */
const TLS_METHODS = new Set(['peap', 'tls', 'ttls', 'teap']);
const TRUST_STORES = new Set(['LocalMachine', 'CurrentUser']);

/** What the action does around the authentication on this machine (test/action-metadata.test.ts). */
export interface RunnerPlan {
  /** `eaphost register --shipped` for the run (and `unregister --shipped` in the post step). */
  register: boolean;
  /** --trust-ephemeral-ca's store, or undefined for none. */
  trustEphemeralCa: 'LocalMachine' | 'CurrentUser' | undefined;
}

/**
 * On a GitHub runner (GITHUB_ACTIONS) on Windows with Windows' own EAPHost: the shipped module is
 * registered where the run may use it (MD5, GTC and the shipped MSCHAPv2 exist for EapHost only
 * once registered; not for peap or ttls, which Windows' own methods serve), and for a
 * TLS method on the embedded authenticator with no `ca` the run's CA goes into LocalMachine\Root
 * (Windows' own PEAP, EAP-TLS, TTLS and TEAP trust a server only through a Root store; the runner
 * is an administrator and is thrown away after the job). `trust-ephemeral-ca: none` turns that
 * off, LocalMachine or CurrentUser turns it on anywhere the CLI allows it.
 */
export function runnerPlan(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): RunnerPlan {
  const windowsHost = platform === 'win32' && input(env, 'backend') !== 'portable';
  const onRunner = env.GITHUB_ACTIONS === 'true';
  const trust = input(env, 'trust-ephemeral-ca');
  if (trust && trust !== 'none' && !TRUST_STORES.has(trust)) {
    throw new InputError('trust-ephemeral-ca must be LocalMachine, CurrentUser or none');
  }
  const tlsOnEmbedded = !input(env, 'server') && !input(env, 'profile') && !input(env, 'ca') &&
    TLS_METHODS.has(input(env, 'method') || 'peap');
  const store = trust === 'none' ? undefined
    : trust ? trust as 'LocalMachine' | 'CurrentUser'
    : onRunner && windowsHost && tlsOnEmbedded ? 'LocalMachine' : undefined;
  // Windows' own PEAP (every Windows) and EAP-TTLS (Windows 8 on) serve peap and ttls with an inner
  // MSCHAPv2 by name: nothing to register. Everything else may run the shipped module: EAP-TLS with a
  // PEM client certificate, MSCHAPv2, GTC, MD5, TEAP (not on every Windows), a GTC or MD5 inside,
  // a profile (whatever it names).
  const method = input(env, 'method') || 'peap';
  const inner = input(env, 'inner-method');
  const ownServes = !input(env, 'profile') && (method === 'peap' || method === 'ttls') && inner !== 'gtc' && inner !== 'md5';
  return { register: onRunner && windowsHost && !ownServes, trustEphemeralCa: store };
}

/**
 * The service flags of `register` / `unregister --shipped` for the run: EapHost restarted so it
 * reads the registration (the CLI restarts it whenever --restart-service is given), but a
 * running Wired AutoConfig (dot3svc, which depends on EapHost) never stopped unless
 * `stop-wired-autoconfig: true`: a self-hosted runner on a wired 802.1X port would lose its network.
 */
export function serviceArguments(env: NodeJS.ProcessEnv): string[] {
  const stop = input(env, 'stop-wired-autoconfig');
  if (stop && stop !== 'true' && stop !== 'false') throw new InputError('stop-wired-autoconfig must be true or false');
  return stop === 'true' ? ['--restart-service'] : ['--restart-service', '--keep-running', 'dot3svc'];
}

/**
 * Why a run on a runner whose Wired AutoConfig (dot3svc, which depends on EapHost) runs may fail:
 * `--keep-running dot3svc` left EapHost unrestarted, so it has not read the registration yet.
 */
export function notRestartedHint(kept: string): string {
  return `EapHost was not restarted: ${kept} (Wired AutoConfig) runs and depends on it, so EapHost reads the shipped methods' ` +
    `registration only when it next starts. Set the input stop-wired-autoconfig: true to stop ${kept}, restart EapHost and start ` +
    `${kept} again (a runner on a wired 802.1X port loses that link meanwhile), or restart both before this step`;
}

/** The ::error line of a failed authentication: its words, and why EapHost may not know the method. */
export function failureLine(report: Record<string, unknown>, kept: string | undefined): string {
  return `::error title=eaphost::${commandData(failureWords(report) + (kept === undefined ? '' : `. ${notRestartedHint(kept)}`))}`;
}

/** One `eaphost` command in this process; a non-zero exit fails the step with its last words. */
async function cli(args: string[], log: (line: string) => void): Promise<void> {
  const said: string[] = [];
  const code = await main(args, log, (line) => { said.push(line); log(line); });
  if (code !== 0) throw new InputError(`eaphost ${args.join(' ')} ended with exit code ${code}${said.length ? `: ${said[said.length - 1]}` : ''}`);
}

/** GITHUB_STATE: what the post step of this same use of the action reads back as STATE_<name>. */
function saveState(env: NodeJS.ProcessEnv, name: string, value: string): void {
  if (!env.GITHUB_STATE) throw new InputError('GITHUB_STATE is not set: the action runs as a step of a workflow');
  appendFileSync(env.GITHUB_STATE, `${name}=${value}\n`);
}

/** The CLI's arguments for the inputs; files the action makes go in `scratch`. */
function cliArguments(env: NodeJS.ProcessEnv, scratch: string): string[] {
  const auditing = input(env, 'audit');
  if (auditing && auditing !== 'true' && auditing !== 'false') throw new InputError('audit must be true or false');
  if (auditing === 'true') return auditArguments(env);
  const server = input(env, 'server');
  const profile = input(env, 'profile');
  const args = ['auth', '--json'];
  if (server) {
    args.push('--radius', server);
    if (!input(env, 'secret')) throw new InputError('secret is required with server (the RADIUS shared secret)');
    const timeout = input(env, 'timeout');
    if (timeout) args.push('--timeout', timeout);
  } else if (input(env, 'timeout')) {
    throw new InputError('timeout applies to a RADIUS server: give server, or leave timeout out');
  }
  const method = input(env, 'method');
  if (profile) {
    const config = eapHostConfigOf(readFileSync(profile, 'utf8'));
    if (config !== undefined) {
      const file = join(scratch, 'eap-host-config.xml');
      writeFileSync(file, config);
      args.push('--config-xml', file);
    } else {
      args.push('--profile', profile);
    }
    // Passed on for the CLI to refuse: the profile carries the method.
    if (method) args.push('--method', method);
  } else {
    args.push('--method', method || 'peap');
  }
  for (const name of FLAG_INPUTS) {
    const value = input(env, name);
    if (value) args.push(`--${name}`, value);
  }
  if (!server) {
    let users = input(env, 'users');
    if (!users) {
      // The identity's own password: the run proves the supplicant end to end on this runner.
      const identity = input(env, 'identity');
      const password = input(env, 'password');
      if (!identity || !password) throw new InputError('users is required, or identity and password to make one from');
      users = join(scratch, 'users.json');
      writeFileSync(users, JSON.stringify({ [identity]: { password } }), { mode: 0o600 });
    }
    args.push('--users', users);
  } else if (input(env, 'users')) {
    throw new InputError('users is for the embedded authenticator: with server, the RADIUS server holds the users');
  }
  return args;
}

/** The report's words for a failed step: the EAP error's root cause, else the CLI's line. */
function failureWords(report: Record<string, unknown>): string {
  const error = report.error as { rootCause?: string } | undefined;
  const reason = String(report.reason ?? 'not authenticated');
  return error?.rootCause && !reason.includes(error.rootCause) ? `${reason}: ${error.rootCause}` : reason;
}

/** Runs the action; resolves with the process exit code (1 fails the step). */
export async function runAction(env: NodeJS.ProcessEnv = process.env, io: ActionIo = { log: (line) => process.stdout.write(`${line}\n`) }):
    Promise<number> {
  for (const name of Object.keys(SECRET_INPUTS) as ActionInput[]) {
    for (const line of input(env, name).split(/\r?\n/)) if (line) io.log(`::add-mask::${commandData(line)}`);
  }
  const scratch = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'eaphost-action-'));
  // The CLI reads secrets from its environment variables (never from arguments): set for this run only.
  const saved = new Map<string, string | undefined>();
  try {
    const args = cliArguments(env, scratch);
    for (const [name, variable] of Object.entries(SECRET_INPUTS) as [ActionInput, string][]) {
      saved.set(variable, process.env[variable]);
      const value = input(env, name);
      if (value) process.env[variable] = value; else delete process.env[variable];
    }
    const auditing = args[0] === 'audit';
    const plan = auditing ? { register: false, trustEphemeralCa: undefined } : runnerPlan(env);
    if (plan.trustEphemeralCa) args.push('--trust-ephemeral-ca', plan.trustEphemeralCa);
    // On a runner only: elsewhere (a developer's machine, Wine) EapHost is the machine's own business.
    let kept: string | undefined;
    if (plan.register) {
      // Saved first: the post step unregisters even when the registration stopped half-way.
      saveState(env, 'registered', 'true');
      if (serviceArguments(env).includes('--keep-running')) {
        kept = (await import('../register/service')).runningKept(['dot3svc']);
        if (kept !== undefined) io.log(`::warning title=eaphost::${commandData(notRestartedHint(kept))}`);
      }
      // EapHost reads the registration when it starts: --restart-service stops what depends on
      // it, restarts it and starts them again, through the service control manager (serviceArguments).
      // --restart-service leaves a stopped EapHost stopped; the authentication needs it running.
      await cli(['register', '--shipped', ...serviceArguments(env), '--start-service'], io.log);
    }
    io.log(`eaphost ${args.join(' ')}`);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, (line) => out.push(line), (line) => { err.push(line); io.log(line); });
    const report = out.map((line) => { try { return JSON.parse(line) as Record<string, unknown>; } catch { return undefined; } })
      .find((parsed) => parsed?.command === args[0]);
    if (!report) {
      // Bad usage or input (exit 2): the CLI said why on stderr, and no report was made.
      // Its last line but the usage hint says why (warnings come before it).
      throw new InputError([...err].reverse().find((line) => !line.startsWith('(')) ?? `eaphost ${args[0]} ended with exit code ${code} and no report`);
    }
    const resultFile = join(env.RUNNER_TEMP || tmpdir(), `eaphost-result-${randomBytes(6).toString('hex')}.json`);
    writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
    writeOutputs(env.GITHUB_OUTPUT, {
      success: String(report.success === true),
      method: String(report.method ?? ''),
      'mppe-keys-match': typeof report.mppeKeysMatch === 'boolean' ? String(report.mppeKeysMatch) : '',
      result: resultFile,
    });
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, auditing ? auditMarkdown(report) : summaryMarkdown(report));
    io.log(String(report.reason ?? ''));
    if (report.success === true && code === 0) return 0;
    io.log(failureLine(report, kept));
    return 1;
  } catch (error) {
    if (!(error instanceof InputError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    io.log(`::error title=eaphost::${commandData((error as Error).message)}`);
    return 1;
  } finally {
    for (const [variable, value] of saved) {
      if (value === undefined) delete process.env[variable]; else process.env[variable] = value;
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The post step (action.yml runs.post): takes out what this use of the action registered. */
export async function runPost(env: NodeJS.ProcessEnv = process.env, io: ActionIo = { log: (line) => process.stdout.write(`${line}\n`) }):
    Promise<number> {
  if (env.STATE_registered !== 'true') return 0;
  try {
    // The service holds the copy it loaded: stopped first (with its dependents), started after.
    await cli(['unregister', '--shipped', ...serviceArguments(env)], io.log);
    return 0;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.log(`::error title=eaphost::${commandData(error.message)}`);
    return 1;
  }
}
