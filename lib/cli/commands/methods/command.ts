/** `eaphost methods`: the EAP methods the host can load. The body (methods.ts) loads only when it runs. */
import type { CommandDefinition } from '../../main';

export const command: CommandDefinition = {
  name: 'methods',
  summary: 'the EAP methods the host can load, with their properties',
  order: 8,
  forms: [{
    usage: ['methods [--json]'],
    families: [{ title: 'Output', flags: [{ name: 'json', type: 'boolean', help: 'one JSON array on stdout' }] }],
    run: async ({ values }, io) => (await import('./methods')).runMethods(values, io.out),
  }],
};
