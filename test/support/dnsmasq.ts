/**
 * dnsmasq as a DNS server on loopback, answering from the records a test gives it and nothing else
 * (no upstream, no hosts file): the zone `test` is its own, so a name under it that it was not
 * given is NXDOMAIN. It logs every query it receives, which the test counts.
 */
import { makeTempDir, freeUdpPort, findProgram, startDaemon, Daemon } from './programs';

export interface Dnsmasq {
  /** 127.0.0.1:PORT, as a resolver's setServers takes it. */
  server: string;
  /**
   * The queries it has received so far of a type and name ("NAPTR", "order.test"; every name of the
   * type when none is given): counted once a
   * query of its own (a fence) was logged, and dnsmasq answers one query after another, so every
   * query sent before this call is in the count.
   */
  queries(type: string, name?: string): Promise<number>;
  /** SIGSTOP: it answers nothing until resumed (datagrams wait in its socket). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startDnsmasq(records: string[]): Promise<Dnsmasq> {
  const program = findProgram(['dnsmasq'], 'dnsmasq-base');
  const port = await freeUdpPort();
  const dir = makeTempDir('dnsmasq');
  const daemon: Daemon = await startDaemon('dnsmasq', program, ['--keep-in-foreground', '--no-resolv', '--no-hosts',
    `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--conf-file=/dev/null', '--pid-file=', '--log-queries',
    '--log-facility=-', '--local=/test/', '--local-ttl=3600', ...records], 'cleared cache', 10_000, dir);
  let fences = 0;
  let paused = false;
  const signal = (name: NodeJS.Signals): void => {
    process.kill(daemon.pid, name);
  };
  return {
    server: `127.0.0.1:${port}`,
    async queries(type, name) {
      const fence = `fence-${++fences}.test`;
      // A query for the fence over the same socket dnsmasq reads the others from; it is logged after them.
      const { Resolver } = await import('node:dns/promises');
      const resolver = new Resolver();
      resolver.setServers([`127.0.0.1:${port}`]);
      await resolver.resolve4(`${fence}.`).catch(() => undefined);
      const log = await daemon.logUntil(0, new RegExp(`query\\[A\\] ${fence.replace(/\./g, '\\.')} `));
      return log.split('\n').filter((line) => line.includes(name === undefined ? `query[${type}] ` : `query[${type}] ${name} `)).length;
    },
    pause() {
      signal('SIGSTOP');
      paused = true;
    },
    resume() {
      if (paused) signal('SIGCONT');
      paused = false;
    },
    async stop() {
      if (paused) signal('SIGCONT');
      await daemon.stop();
    },
  };
}
