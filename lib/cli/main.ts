#!/usr/bin/env node
/**
 * The `eaphost` command. Exit codes: 0 success, 1 authentication failure, 2 bad usage or
 * input, 3 no answer from a server in time. Errors are one line on stderr; passwords are
 * never printed.
 */
import { EapError } from '../errors';
import { AUTH_BOOLEANS, AUTH_VALUED, runEmbeddedAuth } from './auth';
import { UsageError, parseArgs } from './args';
import { runMethods } from './methods';

const TLS_FLAGS = '[--anonymous-identity OUTER] [--phase2 pap|chap|mschap|mschapv2|eap] [--ca FILE | --insecure] ' +
  '[--server-name NAME] [--cert FILE --key FILE [--key-password PW]] [--tls-max 1.2|1.3]';
const USAGE = `usage:
  eaphost auth --method peap|ttls|tls|mschapv2|gtc|md5 --identity ID [--password PW] --users FILE ${TLS_FLAGS} [--json] [--show-keys] [--verbose]
  eaphost auth --radius HOST:PORT --secret SECRET --method peap|ttls|tls|mschapv2|gtc|md5 --identity ID [--password PW] ${TLS_FLAGS} [--timeout MS] [--no-require-message-authenticator] [--json] [--show-keys] [--verbose]
  eaphost serve --port PORT --secret SECRET --users FILE [--methods peap,ttls,tls,mschapv2,gtc,md5] [--host ADDR] [--cert FILE --key FILE [--key-password PW]] [--ca FILE] [--tls-max 1.2|1.3] [--no-require-message-authenticator] [--max-conversations N]
  eaphost auth --radius … [--nas-ip-address IP] [--nas-identifier ID] [--called-station-id MAC[:SSID]] [--calling-station-id MAC] [--framed-mtu N] [--operator-name NAME] [--attr NAME=VALUE|NUMBER:FORMAT=VALUE|26:VENDOR:TYPE:FORMAT=VALUE]...
  eaphost auth --radius HOST:PORT --secret SECRET --method … --nagios [--warn-ms N] [--crit-ms N] [--cert-warn-days D]
  eaphost load --radius HOST:PORT --secret SECRET --method … (--users FILE | --identity ID --password PW) [--concurrency N] [--rate R] [--duration S | --count N] [--json]
  eaphost auth --radius HOST:PORT --secret SECRET --method peap|ttls|tls … [--show-server-cert] [--save-server-cert FILE]
  eaphost auth --radius HOST:PORT --secret SECRET (--method pap --identity ID --password PW | --mab --calling-station-id MAC) [--json]
  eaphost auth --radius HOST:2083 --radsec --radsec-cert FILE --radsec-key FILE [--radsec-key-password PW] --radsec-ca FILE [--radsec-server-name NAME] --method … [--secret radsec]
  eaphost serve --port 2083 --users FILE --radsec --radsec-cert FILE --radsec-key FILE [--radsec-key-password PW] --radsec-ca FILE [--secret radsec] …
  eaphost acct start|stop|update --radius HOST:PORT --secret SECRET --identity ID [--session-id ID] [--session-time S] [--json]
  eaphost ping --radius HOST:PORT --secret SECRET [--timeout MS] [--tries N] [--json]
  eaphost methods [--json]
  eaphost auth --config-xml FILE [--credentials-xml FILE] (--users FILE | --radius HOST:PORT --secret SECRET) [--json] [--show-keys] [--verbose]
  eaphost config --method peap|tls|ttls|mschapv2|gtc|md5 [--ca FILE] [--server-name NAME] [--insecure] [--windows | --shipped] --print-xml [--credentials --identity ID --password PW]`;

export async function main(argv: string[], out: (line: string) => void = console.log,
                           err: (line: string) => void = console.error): Promise<number> {
  try {
    const command = argv[0];
    if (command === 'auth') {
      if (argv.some((a) => a === '--radius' || a.startsWith('--radius='))) {
        const { wantsPlainRadius, runPapAuth } = await import('./pap');
        if (wantsPlainRadius(argv)) return await runPapAuth(argv.slice(1), out, err);
        if (argv.includes('--nagios')) {
          const { runNagios } = await import('./nagios');
          return await runNagios(argv.slice(1), out);
        }
        const { runRadiusAuth } = await import('./radius');
        return await runRadiusAuth(argv.slice(1), out, err);
      }
      return await runEmbeddedAuth(parseArgs(argv, AUTH_VALUED, AUTH_BOOLEANS), out);
    }
    if (command === 'serve') {
      const { runServe } = await import('./serve');
      return await runServe(argv.slice(1), out, err);
    }
    if (command === 'load') {
      const { runLoad } = await import('./load');
      return await runLoad(argv.slice(1), out, err, { tty: process.stderr.isTTY ? process.stderr : undefined, handleSignals: true });
    }
    if (command === 'acct') {
      const { runAcct } = await import('./acct');
      return await runAcct(argv.slice(1), out, err);
    }
    if (command === 'ping') {
      const { runPing } = await import('./ping');
      return await runPing(argv.slice(1), out, err);
    }
    if (command === 'methods') return await runMethods(parseArgs(argv, [], ['json']), out);
    if (command === 'config') {
      const { CONFIG_BOOLEANS, CONFIG_VALUED, runConfig } = await import('./config');
      return await runConfig(parseArgs(argv, CONFIG_VALUED, CONFIG_BOOLEANS), out);
    }
    if (command === '--help' || command === 'help') {
      out(USAGE);
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (error) {
    if (error instanceof UsageError || error instanceof TypeError) {
      err(`eaphost: ${error.message}`);
      if (error instanceof UsageError) err(USAGE.split('\n')[0] + ' … (eaphost help)');
      return 2;
    }
    if (error instanceof EapError) {
      err(`eaphost: ${error.message}`);
      return 2;
    }
    err(`eaphost: ${(error as Error).message ?? String(error)}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
