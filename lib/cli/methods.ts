/** `eaphost methods`: the methods the host can load (EapHostPeerGetMethods). */
import { openEapHost } from '../eaphost';
import { ParsedArgs } from './args';

export async function runMethods(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const host = await openEapHost();
  try {
    const methods = await host.getMethods();
    if (args.flags.get('json') === true) {
      out(JSON.stringify(methods));
    } else {
      for (const m of methods) {
        out(`type ${m.type} vendor ${m.vendorId}/${m.vendorType} author ${m.authorId}  ${m.friendlyName}`);
      }
    }
    return 0;
  } finally {
    await host.close();
  }
}
