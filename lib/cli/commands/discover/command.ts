/** `eaphost discover REALM`: a realm's home servers by RFC 7585 discovery. The body (discover.ts) loads only when it runs. */
import { JSON_OUTPUT, text } from '../../flags';
import type { CommandDefinition } from '../../main';

export const command: CommandDefinition = {
  name: 'discover',
  summary: 'the home servers a RADIUS proxy would find for a realm by dynamic discovery (RFC 7585: NAPTR, SRV, A/AAAA), in order',
  order: 15,
  forms: [{
    usage: ['discover REALM [--dns-server HOST[:PORT]] [--timeout MS] [--json]'],
    families: [{
      title: 'Discovery',
      flags: [
        { name: 'dns-server', type: 'string', multiple: true, value: 'HOST[:PORT]',
          help: 'the DNS server to ask, an IP address ([IPv6]:PORT with a port); by default the system\'s' },
        text('timeout', 'MS', 'the most the whole discovery may take (default 2000)'),
      ],
    }, JSON_OUTPUT],
    positionals: true,
    run: async (args, io) => (await import('./discover')).runDiscover(args, io),
  }],
};
