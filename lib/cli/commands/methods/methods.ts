/** `eaphost methods`: the methods the host can load (EapHostPeerGetMethods), each with its
 *  properties (EapHostPeerGetMethodProperties: the EAP_METHOD_PROPERTY_TYPE names it reports;
 *  `properties` stays the registry's EAP_METHOD_INFO bit mask, the list is `methodProperties`). */
import { openEapHost } from '../../../session/eaphost';
import type { FlagValues, LineWriter } from '../../main';

interface Property { type: number; name?: string; valueType: number; value: boolean | number | Buffer }

function propertyText(property: Property): string | undefined {
  const name = property.name ?? `property ${property.type}`;
  if (typeof property.value === 'boolean') return property.value ? name : undefined;
  if (typeof property.value === 'number') return `${name}=${property.value}`;
  return `${name}=${property.value.toString('hex')}`;
}

export async function runMethods(args: FlagValues, out: LineWriter): Promise<number> {
  const host = await openEapHost();
  try {
    const methods = await host.getMethods();
    const listed = [];
    for (const m of methods) {
      const methodType = { type: m.type, vendorId: m.vendorId, vendorType: m.vendorType, authorId: m.authorId };
      // One method that cannot report its properties does not hide the others.
      let properties: Property[] | undefined;
      let error: string | undefined;
      try {
        properties = await host.getMethodProperties(methodType) as Property[];
      } catch (caught) {
        error = (caught as Error).message;
      }
      listed.push({ ...m, ...(properties ? { methodProperties: properties } : {}), ...(error ? { propertiesError: error } : {}) });
    }
    if (args['json'] === true) {
      out(JSON.stringify(listed, (_key, value) =>
        value && value.type === 'Buffer' && Array.isArray(value.data) ? Buffer.from(value.data).toString('hex') : value));
    } else {
      for (const m of listed) {
        out(`type ${m.type} vendor ${m.vendorId}/${m.vendorType} author ${m.authorId}  ${m.friendlyName}`);
        if (m.methodProperties) {
          const shown = m.methodProperties.map(propertyText).filter((text): text is string => text !== undefined);
          out(`  properties: ${shown.length > 0 ? shown.join(', ') : '(none)'}`);
        } else {
          out(`  properties: unavailable (${m.propertiesError})`);
        }
      }
    }
    return 0;
  } finally {
    await host.close();
  }
}
